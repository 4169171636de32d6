import Foundation
import Testing
import TollgateTestSupport

/// Group rates and disparities of the German-credit versions against fairlearn 0.15
/// (`fixtures/oracle/credit-risk-fairness.json`), for one feature and for intersections.
@Suite struct FairnessOracleTests {
    @Test func disparitiesAndGroupRatesAgreeWithFairlearn() throws {
        let oracle = try #require(try Fixtures.json("oracle/credit-risk-fairness.json") as? [String: Any])
        let expected = try #require(oracle["values"] as? [String: [String: Any]])
        let dir = try ScratchDirectory()
        let config = try String(contentsOfFile: Fixtures.path("demo/small-groups.yml"), encoding: .utf8)
            .replacingOccurrences(of: #"candidates:.*"#, with: #"candidates: ["1", "2", "3"]"#, options: .regularExpression)
            .replacingOccurrences(
                of: "    - recall[age_band] >= 0.6\n",
                with: """
                        - demographic_parity_ratio[age_band] >= 0
                        - demographic_parity_ratio[sex, age_band] >= 0

                    """)
        let path = Fixtures.path("demo/fairness-oracle.tmp.yml")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Tool.run(["run", "--config", path, "--json", dir.path("run.json")])
        #expect([0, 1, 3].contains(result.exitCode), "\(result.stderr)")
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        var compared = 0
        for candidate in try #require(report["candidates"] as? [[String: Any]]) {
            let version = try #require(candidate["version"] as? String)
            let metrics = try #require(candidate["metrics"] as? [String: Any])
            for (key, value) in try #require(expected[version]) {
                let reference = try #require(number(value))
                let ours: Double? = metrics[key] is NSNull ? .nan : number(metrics[key])
                #expect(agrees(ours, reference), "v\(version) \(key): tollgate \(ours.map { "\($0)" } ?? "missing"), fairlearn \(reference)")
                compared += 1
            }
        }
        #expect(compared > 150)
    }

    @Test func aBiasedCandidateFailsTheFairnessChecksAndSaysWhichSlice() throws {
        let dir = try ScratchDirectory()
        let result = try Tool.run(["run", "--config", Fixtures.path("demo/tollgate.yml"), "--json", dir.path("run.json")])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("fail: demographic_parity_ratio[sex] = 0.0671, expected >= 0.8"))
        #expect(result.stdout.contains("fail: disparate_impact[sex] = 0.0671, expected >= 0.8"))
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        let challenger = try #require((report["candidates"] as? [[String: Any]])?.first)
        let checks = try #require(challenger["checks"] as? [[String: Any]])
        let worst = try #require(checks.first { $0["expression"] as? String == "min(recall[sex, age_band]) >= 0.5 warn" })
        #expect(worst["outcome"] as? String == "inconclusive")
        #expect((worst["message"] as? String)?.contains("sex=female, age_band=60+ has 4 rows") == true)
        #expect(challenger["decision"] as? String == "pass", "an inconclusive warning does not block")
    }

    @Test func aCheckOnGroupsBelowTheMinimumSizeIsInconclusive() throws {
        let result = try Tool.run(["run", "--config", Fixtures.path("demo/small-groups.yml")])
        #expect(result.exitCode == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("age_band=60+ has 21 rows (minimum 30 rows)"))
    }

    @Test func aFailingGroupIsNamed() throws {
        let dir = try ScratchDirectory()
        var fixture = GateFixture(checks: ["accuracy >= 0.5"])
        fixture.files["gate.yml"]! += "  fairness:\n    - recall[sex] >= 0.9\nfairness:\n  min_group_size: 1\n"
        fixture.files["registry/credit/2/predictions.csv"] = fixture.files["registry/credit/2/predictions.csv"]!.replacingOccurrences(
            of: "a3,0.7", with: "a3,0.2")
        let result = try Tool.run(["run", "--config", try fixture.write(to: dir)])
        #expect(result.exitCode == 1)
        // The male positives are a3 and a7; a3 is now predicted negative: male recall 1/2.
        #expect(result.stdout.contains("1 of 2 groups fail: recall[sex=m] = 0.5, expected >= 0.9"), "\(result.stdout)")
    }
}
