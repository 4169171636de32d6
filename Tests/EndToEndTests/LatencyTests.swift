import Foundation
import Testing
import TollgateTestSupport

/// Latency from recorded samples, through an HdrHistogram (3 significant digits).
@Suite struct LatencyTests {
    @Test func percentilesAgreeWithNumpyWithinTheHistogramsPrecision() throws {
        let oracle = try #require(try Fixtures.json("oracle/credit-risk-latency.json") as? [String: Any])
        let expected = try #require(oracle["values"] as? [String: [String: Any]])
        let dir = try ScratchDirectory()
        let result = try Tool.run(["run", "--config", Fixtures.path("demo/tollgate.yml"), "--json", dir.path("run.json")])
        #expect(result.exitCode == 1)
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        for candidate in try #require(report["candidates"] as? [[String: Any]]) {
            let version = try #require(candidate["version"] as? String)
            let metrics = try #require(candidate["metrics"] as? [String: Any])
            for (name, value) in try #require(expected[version]) {
                let reference = try #require(number(value))
                let ours = try #require(number(metrics[name]), "\(name)")
                // Bucket values are within 1/1000 of the recorded ones; rates and throughput are exact.
                let tolerance = name.hasSuffix("_ms") ? 1e-3 : 1e-9
                #expect(
                    agrees(ours, reference, tolerance: tolerance) || abs(ours - reference) <= tolerance * reference,
                    "v\(version) \(name): tollgate \(ours), numpy \(reference)")
            }
        }
    }

    func run(_ samples: String?, predictionsColumn: Bool = false) throws -> ToolResult {
        let dir = try ScratchDirectory()
        var fixture = GateFixture(checks: ["accuracy >= 0.5"])
        fixture.files["gate.yml"]! += "  latency:\n    - p95_ms <= champion * 1.5\n"
        for version in ["1", "2"] {
            if let samples {
                fixture.files["registry/credit/\(version)/latency.csv"] = samples
                fixture.files["registry/credit/\(version)/version.yaml"]! += "latency: {samples: latency.csv}\n"
            }
        }
        return try Tool.run(["run", "--config", try fixture.write(to: dir)])
    }

    @Test func aCandidateWithoutSamplesIsAnError() throws {
        let result = try run(nil)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("credit@1 has no latency samples"), "\(result.stderr)")
    }

    @Test func badSamplesNameTheCell() throws {
        let negative = try run("latency_ms,error\n12.5,0\n-3,0\n")
        #expect(negative.exitCode == 2)
        #expect(negative.stderr.contains("latency.csv:3:1: expected a non-negative latency in milliseconds, found '-3'"), "\(negative.stderr)")
        let flag = try run("latency_ms,error\n12.5,maybe\n")
        #expect(flag.exitCode == 2)
        #expect(flag.stderr.contains("expected 0/1 or true/false in column 'error'"))
    }

    @Test func samplesGateAgainstTheChampion() throws {
        let result = try run("latency_ms,error,timestamp\n10,0,0\n12,0,1\n11,1,2\n40,0,3\n")
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("p95_ms <= champion * 1.5"))
    }
}
