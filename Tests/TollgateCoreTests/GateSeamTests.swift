import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The gate's seams: every version's predictions come through a scorer, the commit is a
/// parameter, and what a metric supports is read from the catalogue.
@Suite struct GateSeamTests {
    /// A config on disk from the standard fixture, and the directory that keeps it alive.
    static func config(_ fixture: GateFixture = GateFixture()) throws -> (GateConfig, ScratchDirectory) {
        let scratch = try ScratchDirectory()
        let path = try fixture.write(to: scratch)
        return (try GateConfig.load(path: path), scratch)
    }

    @Test func aScorerKindTheFactoryCannotRunIsAnErrorAtTheVersionNotASkip() throws {
        let (config, scratch) = try Self.config()
        var gate = Gate(config: config)
        gate.scorers = ScorerFactory { _ in nil }
        let error = try #require(throws: TollgateError.self) { try gate.run() }
        #expect(error.kind == .registry)
        #expect(error.location?.file.hasSuffix("registry/credit/1/version.yaml") == true, "\(error)")
        #expect(error.message == "credit@1 is scored by 'predictions', which this build of tollgate cannot run")
        _ = scratch
    }

    @Test func theGateObtainsEveryVersionsPredictionsThroughItsScorer() throws {
        final class Asked: @unchecked Sendable {
            let lock = NSLock()
            var paths: [String] = []
        }
        let asked = Asked()
        let (config, scratch) = try Self.config()
        var gate = Gate(config: config)
        gate.scorers = ScorerFactory { spec in
            switch spec {
            case .predictions(let path, let location):
                asked.lock.lock()
                asked.paths.append(path)
                asked.lock.unlock()
                return PredictionsFileScorer(path: path, location: location)
            case .http, .command, .mlflowServe: return nil
            }
        }
        let report = try gate.run()
        #expect(asked.paths.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent } == ["1", "2"])
        #expect(report.candidates.first?.checks?.count == 3)
        _ = scratch
    }

    @Test func theCommitIsAParameterNotReadFromTheEnvironment() throws {
        let (config, scratch) = try Self.config()
        #expect(try Gate(config: config, commit: "0123abc").run().inputs.commit == "0123abc")
        #expect(try Gate(config: config).run().inputs.commit == nil)
        _ = scratch
    }
}

@Suite struct MetricCatalogTests {
    /// What `@ 95%` resamples on rows is listed on the catalogue for validation and implemented by
    /// `ResampledMetrics`; the two must name the same metrics.
    @Test func theCatalogueAndTheResamplerAgree() {
        for task in Task.allCases {
            #expect(Set(MetricCatalog.resampledOnRows(for: task)) == ResampledMetrics.names(for: task), "\(task)")
        }
        #expect(Set(MetricCatalog.all.filter(\.isDisparity).map(\.name)) == Set(FairnessMetrics.names))
        #expect(Set(LatencyIntervals.names) == ["p50_ms", "p95_ms", "p99_ms", "max_ms", "error_rate"])
        #expect(Set(MetricCatalog.all.filter { $0.interval == .columns }.map(\.name)) == Set(DriftIntervals.distances(.numbers([1, 2]), .numbers([1, 3])).keys))
    }

    @Test func everyGateSuiteHasMetricsAndNoMetricBelongsToTheCanary() {
        for suite in Suite.gate { #expect(MetricCatalog.all.contains { $0.suite == suite }, "\(suite)") }
        #expect(!MetricCatalog.all.contains { $0.suite == .canary })
    }

    @Test func aTestNameIsParsedOnceAndAnUnknownOneIsRefused() throws {
        let origin = SourceLocation(file: "g.yml", line: 1, column: 1)
        let check = try CheckParser.parse("accuracy >= champion - 0.01 @ mcnemar 0.05", suite: .accuracy, at: origin)
        #expect(check.confidence == .test(name: .mcnemar, alpha: 0.05))
        let error = try #require(throws: TollgateError.self) {
            try CheckParser.parse("accuracy >= champion - 0.01 @ mcnemr 0.05", suite: .accuracy, at: origin)
        }
        #expect(error.message.hasPrefix("'mcnemr' is not a test this build knows (did you mean 'mcnemar'?)"))
    }
}
