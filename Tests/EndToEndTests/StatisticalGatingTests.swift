import Foundation
import Testing
import TollgateTestSupport

/// Gates that respect sampling noise, on the German-credit demo.
@Suite struct StatisticalGatingTests {
    func run(_ checks: [String], extra: [String] = []) throws -> (ToolResult, [String: Any]?) {
        let dir = try ScratchDirectory()
        let config = """
            model: credit-risk
            registry: \(Fixtures.path("demo/registry"))
            champion: "@champion"
            candidates: ["@challenger", "3"]
            dataset: {path: \(Fixtures.path("demo/data/eval.csv")), id: id, label: risk, task: binary}
            statistics: {resamples: 1000, seed: 11}
            checks:
              accuracy:
            \(checks.map { "    - \($0)" }.joined(separator: "\n"))

            """
        let path = try dir.write("gate.yml", config)
        let result = try Tool.run(["run", "--config", path, "--json", dir.path("run.json")] + extra)
        let json = (try? JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json"))))) as? [String: Any]
        return (result, json)
    }

    func outcomes(_ json: [String: Any]?) -> [[String]] {
        (json?["candidates"] as? [[String: Any]] ?? []).map { ($0["checks"] as? [[String: Any]] ?? []).map { $0["outcome"] as? String ?? "?" } }
    }

    @Test func aDifferenceTheDataCannotResolveIsInconclusive() throws {
        // 0.7425 against 0.7375 on 400 rows: the interval of the difference straddles the margin.
        let (result, json) = try run(["accuracy >= champion + 0.01 @ 95%"])
        #expect(outcomes(json) == [["inconclusive"], ["fail"]])
        #expect(result.exitCode == 1, "version 3 fails outright")
        #expect(result.stdout.contains("straddles 0, so the data cannot tell"))
        let check = ((json?["candidates"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]])?.first
        let interval = (check?["interval"] as? [Any])?.compactMap(number) ?? []
        #expect(interval.count == 2 && interval[0] < 0 && interval[1] > 0, "\(interval)")
    }

    @Test func significanceTestsAgainstTheChampion() throws {
        // Until #16, '>=' passed whenever the test found no significant difference; the
        // challenger passed all three plain checks below. Now a check passes only when the data
        // show the difference above the margin.
        let (_, json) = try run([
            "roc_auc > champion @ delong 0.05", "roc_auc >= champion @ delong 0.05", "accuracy >= champion @ mcnemar 0.05",
            "roc_auc >= champion - 0.01 @ delong 0.05", "accuracy >= champion - 0.02 @ mcnemar 0.05"
        ])
        // The challenger is better, but not significantly: without a margin it stays
        // inconclusive; with one it is shown not worse. Version 3 is shown worse by more.
        #expect(
            outcomes(json) == [
                ["inconclusive", "inconclusive", "inconclusive", "pass", "pass"], ["fail", "fail", "fail", "fail", "fail"]
            ])
        let challenger = (json?["candidates"] as? [[String: Any]])?.first
        let comparisons = challenger?["comparisons"] as? [String: Any]
        #expect((comparisons?["delong"] as? [String: Any])?["p_value"] != nil)
        let mcnemar = comparisons?["mcnemar"] as? [String: Any]
        #expect((mcnemar?["candidate_only_correct"] as? Int) == 18)
        #expect((mcnemar?["rows"] as? Int) == 400)
        // The check carries the figures it was decided on, consistent with the metrics.
        let checks = challenger?["checks"] as? [[String: Any]] ?? []
        let metrics = challenger?["metrics"] as? [String: Any] ?? [:]
        let champion = (json?["champion"] as? [String: Any])?["metrics"] as? [String: Any] ?? [:]
        let delong = try #require(checks[3]["test"] as? [String: Any])
        let auc = try #require(number(metrics["roc_auc"]))
        let championAUC = try #require(number(champion["roc_auc"]))
        #expect(agrees(number(delong["difference"]), auc - championAUC))
        #expect(agrees(number(delong["margin"]), -0.01))
        let lower = try #require(number(delong["lower_bound"]))
        let p = try #require(number(delong["p_value"]))
        #expect(lower > -0.01 && lower < 0 && p < 0.05, "lower \(lower), p \(p)")
        let tango = try #require(checks[4]["test"] as? [String: Any])
        #expect(agrees(number(tango["difference"]), (18.0 - 16.0) / 400))
    }

    @Test func intervalsAreReproducibleForASeed() throws {
        let (_, first) = try run(["roc_auc >= 0.7"], extra: ["--intervals"])
        let (_, second) = try run(["roc_auc >= 0.7"], extra: ["--intervals"])
        let a = (first?["candidates"] as? [[String: Any]])?.first?["intervals"] as? [String: Any]
        let b = (second?["candidates"] as? [[String: Any]])?.first?["intervals"] as? [String: Any]
        let roc = (a?["roc_auc"] as? [Any])?.compactMap(number) ?? []
        #expect(roc.count == 2 && roc[0] < 0.764 && roc[1] > 0.764, "\(roc)")
        #expect(NSDictionary(dictionary: a ?? [:]) == NSDictionary(dictionary: b ?? ["": 0]))
        #expect(a?.count == 14)
    }

    @Test(arguments: [
        ("roc_auc >= 0.7 @ delong 0.05", "compares with the champion"),
        ("median_ae <= 3 @ 95%", "does not apply to a binary task"),
        ("accuracy == champion @ 95%", "'==' cannot be decided"),
        ("roc_auc >= champion @ bogus 0.05", "not a test this build knows")
    ])
    func confidenceClausesThatCannotBeEvaluatedAreErrors(_ check: String, _ says: String) throws {
        let (result, _) = try run([check])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(says), "\(result.stderr)")
    }
}
