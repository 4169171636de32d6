import Foundation
import Testing
import TollgateTestSupport

/// Drift of the demo's evaluation data against its training data, against Evidently 0.7.23
/// (`fixtures/oracle/drift.json`, made by `fixtures/make_drift_oracle.py`).
@Suite struct DriftTests {
    @Test func everyColumnsScoresAndDefaultTestAgreeWithEvidently() throws {
        let oracle = try #require(try Fixtures.json("oracle/drift.json") as? [String: Any])
        let dir = try ScratchDirectory()
        // Name every score so that each is computed (unnamed ones are skipped unless default).
        let config = try writeConfig(
            dir,
            [
                "psi[*] < 9", "js_distance[*] < 9", "ks_pvalue[*] >= 0", "wasserstein_norm[*] < 1000000",
                "chi2_pvalue[*] >= 0", "drifted_share <= 1"
            ])
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        let metrics = try #require((report["candidates"] as? [[String: Any]])?.first?["metrics"] as? [String: Any])
        let values = try #require(oracle["values"] as? [String: Any])
        for (key, value) in values {
            #expect(agrees(number(metrics[key]), try #require(number(value))), "\(key): tollgate \(metrics[key] ?? "missing"), evidently \(value)")
        }
        for (column, test) in try #require(oracle["default_tests"] as? [String: [String: Any]]) {
            #expect(agrees(number(metrics["drift_score[\(column)]"]), try #require(number(test["score"]))), "\(column)")
            #expect(number(metrics["drifted[\(column)]"]) == ((test["drifted"] as? Bool) == true ? 1 : 0), "\(column)")
        }
        #expect(agrees(number(metrics["drifted_share"]), try #require(number(oracle["drifted_share"]))))
    }

    func run(_ checks: [String], reference: Bool = true) throws -> ToolResult {
        let dir = try ScratchDirectory()
        return try Tool.run(["run", "--config", try writeConfig(dir, checks, reference: reference)])
    }

    func writeConfig(_ dir: ScratchDirectory, _ checks: [String], reference: Bool = true) throws -> String {
        let config = """
            model: credit-risk
            registry: \(Fixtures.path("demo/registry"))
            champion: "@champion"
            candidates: ["@challenger"]
            dataset:
              path: \(Fixtures.path("demo/data/eval.csv"))
              id: id
              label: risk
              task: binary
            \(reference ? "  reference: \(Fixtures.path("demo/data/train.csv"))" : "")
            checks:
              drift:
            \(checks.map { "    - \($0)" }.joined(separator: "\n"))

            """
        return try dir.write("gate.yml", config)
    }

    @Test func aDriftedColumnIsNamed() throws {
        let result = try run(["chi2_pvalue[saving_accounts, housing] > 0.05", "ks_pvalue[*] > 0.05"])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("1 of 2 columns drift: chi2_pvalue[saving_accounts] = 0.0345, expected > 0.05"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS     ks_pvalue[*] > 0.05"), "categorical columns are skipped by [*]")
    }

    @Test func driftWithoutReferenceDataIsAnError() throws {
        let result = try run(["psi[*] < 0.2"], reference: false)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("add 'reference: FILE'"), "\(result.stderr)")
    }

    @Test func aNumericalTestOnACategoricalColumnCannotDecide() throws {
        let result = try run(["ks_pvalue[sex] > 0.05"])
        #expect(result.exitCode == 2)
        #expect(result.stdout.contains("ks_pvalue does not apply to sex"), "\(result.stdout)")
    }
}
