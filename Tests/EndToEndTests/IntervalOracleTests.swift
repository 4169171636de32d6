import Foundation
import Testing
import TollgateTestSupport

/// Every interval `tollgate run --intervals` and every `@ 95%` check gives, against the
/// reference libraries on the very same resamples (`fixtures/make_interval_oracle.py` draws
/// them with Tollgate's seeded SplitMix64) and, for latency, against scipy's binomial tails
/// (`fixtures/make_latency_interval_oracle.py`).
@Suite struct IntervalOracleTests {
    struct Run {
        var result: ToolResult
        /// version → report entry
        var versions: [String: [String: Any]]
    }

    func run(config: String, in directory: String) throws -> Run {
        let dir = try ScratchDirectory()
        let json = dir.path("run.json")
        let result = try Tool.run(["run", "--config", config, "--intervals", "--no-record", "-q", "--json", json], in: directory)
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        var versions: [String: [String: Any]] = [:]
        for entry in [report["champion"]] + (report["candidates"] as? [Any] ?? []) {
            if let entry = entry as? [String: Any], let version = entry["version"] as? String { versions[version] = entry }
        }
        return Run(result: result, versions: versions)
    }

    static func oracle(_ name: String) throws -> [String: Any] {
        try #require(try Fixtures.json("oracle/\(name).json") as? [String: Any])
    }

    static func pair(_ any: Any?) -> [Double]? {
        guard let values = any as? [Any], values.count == 2 else { return nil }
        return values.map { number($0) ?? .nan }
    }

    /// Compares every oracle interval with the report's; returns how many were compared.
    func compare(_ expected: [String: Any], _ actual: [String: Any], _ what: String) -> Int {
        var compared = 0
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            guard let want = Self.pair(value) else { continue }
            let got = Self.pair(actual[key])
            #expect(got != nil && agrees(got![0], want[0]) && agrees(got![1], want[1]), "\(what) \(key): \(got.map { "\($0)" } ?? "missing") vs \(want)")
            compared += 1
        }
        return compared
    }

    func checkIntervals(_ entry: [String: Any]?) -> [String: Any] {
        var out: [String: Any] = [:]
        for check in entry?["checks"] as? [[String: Any]] ?? [] {
            if let expression = check["expression"] as? String { out[expression] = check["interval"] }
        }
        return out
    }

    @Test func binaryGroupAndDisparityIntervalsAgreeWithScikitLearnAndFairlearn() throws {
        let oracle = try #require(try Self.oracle("intervals")["credit-risk"] as? [String: Any])
        let run = try run(config: "intervals.yml", in: Fixtures.path("demo"))
        #expect(run.result.exitCode == 1, "version 3 fails: \(run.result.stderr)")
        var compared = 0
        for (version, expected) in try #require(oracle["intervals"] as? [String: Any]) {
            compared += compare(try #require(expected as? [String: Any]), run.versions[version]?["intervals"] as? [String: Any] ?? [:], "v\(version)")
        }
        for (version, expected) in try #require(oracle["checks"] as? [String: Any]) {
            compared += compare(try #require(expected as? [String: Any]), checkIntervals(run.versions[version]), "v\(version) check")
        }
        // 14 metrics overall and in each of 11 groups, 6 disparities per slice, disparate impact per group and slice, 3 versions.
        #expect(compared > 600, "\(compared) intervals compared")
    }

    @Test func multiclassIntervalsAgreeWithScikitLearn() throws {
        let oracle = try #require(try Self.oracle("intervals")["housing"] as? [String: Any])
        let dir = try ScratchDirectory()
        let config = try dir.write(
            "housing.yml",
            """
            model: housing
            registry: \(Fixtures.path("demo/registry"))
            champion: "@champion"
            candidates: ["@challenger"]
            dataset: {path: \(Fixtures.path("demo/data/eval.csv")), id: id, label: housing, task: multiclass, classes: [own, rent, free]}
            checks:
              accuracy:
                - f1_macro >= champion - 0.02 @ 95%
                - log_loss <= champion * 1.05 @ 95%

            """)
        let run = try run(config: config, in: dir.url.path)
        #expect(run.result.exitCode == 3, "f1_macro's interval straddles the margin: \(run.result.stderr)")
        var compared = 0
        for (version, expected) in try #require(oracle["intervals"] as? [String: Any]) {
            compared += compare(try #require(expected as? [String: Any]), run.versions[version]?["intervals"] as? [String: Any] ?? [:], "v\(version)")
        }
        for (version, expected) in try #require(oracle["checks"] as? [String: Any]) {
            compared += compare(try #require(expected as? [String: Any]), checkIntervals(run.versions[version]), "v\(version) check")
        }
        #expect(compared == 2 * 16 + 2)
    }

    @Test func latencyIntervalsAreTheExactBootstrapScipyComputes() throws {
        let oracle = try #require(try Self.oracle("latency-intervals")["values"] as? [String: Any])
        let run = try run(config: "intervals.yml", in: Fixtures.path("demo"))
        for (version, entry) in oracle {
            let figures = try #require((entry as? [String: Any])?["intervals"] as? [String: Any])
            let intervals = run.versions[version]?["intervals"] as? [String: Any] ?? [:]
            for (name, value) in figures {
                let want = try #require(Self.pair((value as? [String: Any])?["exact"]))
                let got = try #require(Self.pair(intervals[name]), "v\(version) \(name) missing")
                // HdrHistogram keeps three significant digits; the error rate is exact.
                let tolerance = name == "error_rate" ? 1e-12 : 1.5e-3
                for end in 0..<2 {
                    #expect(abs(got[end] - want[end]) <= tolerance * max(1, abs(want[end])), "v\(version) \(name): \(got) vs \(want)")
                }
            }
        }
    }

    @Test func driftDistanceIntervalsAgreeWithEvidentlyOnTheSameResamples() throws {
        let oracle = try #require((try Self.oracle("drift")["intervals"] as? [String: Any])?["values"] as? [String: Any])
        let run = try run(config: "intervals.yml", in: Fixtures.path("demo"))
        for version in ["1", "2", "3"] {
            #expect(compare(oracle, run.versions[version]?["intervals"] as? [String: Any] ?? [:], "v\(version)") == 24)
        }
        let psi = (run.versions["2"]?["checks"] as? [[String: Any]] ?? []).first { $0["expression"] as? String == "psi[*] < 0.2 @ 95%" }
        // Resampling both samples biases PSI upwards: the interval sits above the point value.
        let interval = Self.pair(psi?["interval"]) ?? []
        let age = try #require(Self.pair(oracle["psi[age]"]))
        #expect(interval.count == 2 && agrees(interval[1], age[1]), "the widest column decides: \(interval)")
    }

    @Test func outcomesFollowTheIntervalsAndNameTheGroups() throws {
        let run = try run(config: "intervals.yml", in: Fixtures.path("demo"))
        func outcomes(_ version: String) -> [String] {
            (run.versions[version]?["checks"] as? [[String: Any]] ?? []).map { $0["outcome"] as? String ?? "?" }
        }
        // roc_auc, accuracy, dp ratio, eo difference, disparate impact, recall per age band,
        // worst intersection (warn), p95, p99 against the champion, error rate, PSI of every
        // column and Wasserstein of two (the data's, the same for both candidates).
        #expect(
            outcomes("2") == ["pass", "pass", "pass", "pass", "pass", "inconclusive", "inconclusive", "pass", "pass", "pass", "inconclusive", "inconclusive"])
        #expect(outcomes("3") == ["fail", "inconclusive", "fail", "fail", "fail", "fail", "warn", "pass", "pass", "fail", "inconclusive", "inconclusive"])
        let messages = (run.versions["3"]?["checks"] as? [[String: Any]] ?? []).map { $0["message"] as? String ?? "" }
        #expect(messages[5].contains("recall[age_band=<25]"), "\(messages[5])")
        #expect(messages[9].contains("exact bootstrap interval over 2000 requests"), "\(messages[9])")
        let challenger = (run.versions["2"]?["checks"] as? [[String: Any]] ?? []).map { $0["message"] as? String ?? "" }
        #expect(challenger[5].contains("age_band=60+ has 21 rows"), "\(challenger[5])")
    }

    @Test(arguments: [
        ("drift", "ks_pvalue[age] > 0.05 @ 95%", "already weighs sampling noise"),
        ("nonfunctional", "artifact_mb <= 50 @ 95%", "has no sampling noise"),
        ("latency", "throughput_rps >= 10 @ 95%", "cannot resample 'throughput_rps'"),
        ("fairness", "recall[sex] >= champion @ delong 0.05", "slices take '@ 95%'")
    ])
    func confidenceWhereNoiseIsNotSampledIsRefused(_ suite: String, _ check: String, _ says: String) throws {
        let dir = try ScratchDirectory()
        let config = try dir.write(
            "gate.yml",
            """
            model: credit-risk
            registry: \(Fixtures.path("demo/registry"))
            champion: "@champion"
            candidates: ["@challenger"]
            dataset: {path: \(Fixtures.path("demo/data/eval.csv")), id: id, label: risk, task: binary, sensitive: [sex], reference: \(Fixtures.path("demo/data/train.csv"))}
            checks:
              \(suite):
                - \(check)

            """)
        let result = try Tool.run(["run", "--config", config, "--no-record"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(says), "\(result.stderr)")
    }
}
