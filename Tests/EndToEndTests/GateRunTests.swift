import Foundation
import Testing
import TollgateTestSupport

/// `tollgate run` end to end: decisions, exit codes and the JSON report.
@Suite struct GateRunTests {
    func run(_ fixture: GateFixture, _ extra: [String] = []) throws -> (ToolResult, [String: Any]?, ScratchDirectory) {
        let dir = try ScratchDirectory()
        let config = try fixture.write(to: dir)
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")] + extra)
        let json = (try? Data(contentsOf: URL(fileURLWithPath: dir.path("run.json"))))
            .flatMap { try? JSONValue.parse($0) as? [String: Any] }
        return (result, json, dir)
    }

    func candidate(_ json: [String: Any]?) -> [String: Any] {
        ((json?["candidates"] as? [[String: Any]])?.first) ?? [:]
    }

    @Test func aBetterChallengerPassesWithExitZeroAndAFullReport() throws {
        let (result, json, dir) = try run(GateFixture())
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("decision: PASS (exit 0)"))
        let report = try #require(json)
        #expect(report["decision"] as? String == "pass")
        #expect(report["exit_code"] as? Int == 0)
        let inputs = try #require(report["inputs"] as? [String: Any])
        let dataset = try #require(inputs["dataset"] as? [String: Any])
        #expect(dataset["sha256"] as? String == SHA256Hex.of(GateFixture().files["data.csv"]!))
        #expect(dataset["rows"] as? Int == 10)
        let config = try #require(inputs["config"] as? [String: Any])
        #expect(config["sha256"] as? String == SHA256Hex.of(try String(contentsOfFile: dir.path("gate.yml"), encoding: .utf8)))
        let challenger = candidate(json)
        #expect(challenger["version"] as? String == "2")
        #expect(challenger["reference"] as? String == "@challenger")
        #expect((challenger["artifact"] as? [String: Any])?["sha256"] as? String == SHA256Hex.of("challenger weights\n"))
        let metrics = try #require(challenger["metrics"] as? [String: Any])
        for name in ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "log_loss", "brier", "mcc", "ece"] {
            #expect(number(metrics[name]) != nil, "\(name)")
        }
        // Worked by hand: the challenger ranks all 25 positive–negative pairs right, the champion 21.
        #expect(number(metrics["roc_auc"]) == 1.0)
        #expect(number((report["champion"] as? [String: Any]).flatMap { $0["metrics"] as? [String: Any] }?["roc_auc"]) == 21.0 / 25.0)
        #expect(number(metrics["accuracy"]) == 1.0)
        let checks = try #require(challenger["checks"] as? [[String: Any]])
        #expect(checks.count == 3)
        #expect(checks[0]["expression"] as? String == "roc_auc >= champion - 0.05")
        #expect(number(checks[0]["champion_value"]) == 0.84)
        #expect(abs((number(checks[0]["threshold"]) ?? 0) - 0.79) < 1e-12)
        #expect(checks[0]["outcome"] as? String == "pass")
        #expect(checks[0]["location"] as? String == "\(dir.path("gate.yml")):14:7")
        // A warning shows but never blocks.
        #expect(checks[2]["outcome"] as? String == "warn")
        #expect(checks[2]["severity"] as? String == "warn")
        #expect(challenger["decision"] as? String == "pass")
    }

    @Test func aFailedBlockingCheckExitsOne() throws {
        let (result, json, _) = try run(GateFixture(checks: ["log_loss <= 0.01", "accuracy >= 0.5"]))
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("FAIL"))
        #expect(result.stdout.contains("log_loss = 0.2871, expected <= 0.01"), "\(result.stdout)")
        #expect(json?["decision"] as? String == "fail")
        #expect(json?["exit_code"] as? Int == 1)
    }

    @Test func anUndefinedMetricIsInconclusiveAndExitsThree() throws {
        var fixture = GateFixture(checks: ["roc_auc >= 0.7", "accuracy >= 0.1"])
        fixture.files["data.csv"] = fixture.files["data.csv"]!.replacingOccurrences(of: ",0,", with: ",1,")
        let (result, json, _) = try run(fixture)
        #expect(result.exitCode == 3, "\(result.stdout)\(result.stderr)")
        let check = (candidate(json)["checks"] as? [[String: Any]])?.first
        #expect(check?["outcome"] as? String == "inconclusive")
        #expect(check?["value"] is NSNull)
        #expect((check?["message"] as? String)?.contains("only one class is present") == true)
        #expect(json?["decision"] as? String == "inconclusive")
    }

    @Test func aFailBeatsAnInconclusiveAndAnyCandidateFailingFailsTheRun() throws {
        var fixture = GateFixture(checks: ["accuracy >= champion"])
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(of: "[\"@challenger\"]", with: "[\"@challenger\", \"1\"]")
        fixture.files["registry/credit/1/predictions.csv"] = "id,score\n" + GateFixture.rows.map { "\($0.id),\(1 - $0.champion)" }.joined(separator: "\n")
        let (result, json, _) = try run(fixture)
        let decisions = (json?["candidates"] as? [[String: Any]])?.map { $0["decision"] as? String }
        #expect(decisions == ["pass", "pass"], "the champion compared with itself passes '>= champion'")
        #expect(result.exitCode == 0, "\(result.stderr)")
    }

    @Test func predictionsInAnotherOrderJoinByHashWithTheSameNumbers() throws {
        let (_, ordered, _) = try run(GateFixture())
        var shuffled = GateFixture()
        shuffled.files["registry/credit/2/predictions.csv"] =
            "id,score\n" + GateFixture.rows.reversed().map { "\($0.id),\($0.challenger)" }.joined(separator: "\n") + "\n"
        let (result, json, _) = try run(shuffled)
        #expect(result.exitCode == 0)
        #expect((candidate(json)["predictions"] as? [String: Any])?["join"] as? String == "hash")
        #expect((candidate(ordered)["predictions"] as? [String: Any])?["join"] as? String == "lockstep")
        #expect(
            NSDictionary(dictionary: candidate(json)["metrics"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: candidate(ordered)["metrics"] as? [String: Any] ?? ["": 0]))
    }

    @Test func allowedMissingIDsAreSkippedForEveryVersionAlike() throws {
        var fixture = GateFixture()
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(
            of: "  sensitive: [sex]", with: "  sensitive: [sex]\n  allow_missing_ids: true")
        fixture.files["registry/credit/2/predictions.csv"] = fixture.files["registry/credit/2/predictions.csv"]!.replacingOccurrences(of: "a7,0.6\n", with: "")
        let (result, json, _) = try run(fixture)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let dataset = (json?["inputs"] as? [String: Any])?["dataset"] as? [String: Any]
        #expect(dataset?["rows"] as? Int == 10)
        #expect(dataset?["evaluated_rows"] as? Int == 9)
        // Without a7 (a positive), both versions are measured on the same nine rows.
        #expect(number(((json?["champion"] as? [String: Any])?["metrics"] as? [String: Any])?["accuracy"]) == 6.0 / 9.0)
    }

    @Test func gzipDatasetsAndJSONLinesPredictionsGiveTheSameRun() throws {
        let (_, plain, _) = try run(GateFixture())
        var fixture = GateFixture()
        fixture.files["registry/credit/2/predictions.jsonl"] =
            GateFixture.rows.map { "{\"id\": \"\($0.id)\", \"score\": \($0.challenger)}" }.joined(separator: "\n") + "\n"
        fixture.files["registry/credit/2/version.yaml"] = fixture.files["registry/credit/2/version.yaml"]!.replacingOccurrences(
            of: "predictions.csv", with: "predictions.jsonl")
        let dir = try ScratchDirectory()
        let config = try fixture.write(to: dir)
        try dir.gzip("data.csv")
        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "path: data.csv", with: "path: data.csv.gz")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any]
        #expect(
            NSDictionary(dictionary: candidate(json)["metrics"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: candidate(plain)["metrics"] as? [String: Any] ?? ["": 0]))
    }

    @Test("a version listed twice as a candidate is evaluated once, under its first reference, with a located note")
    func duplicateCandidatesAreFolded() throws {
        var fixture = GateFixture()
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(
            of: #"candidates: ["@challenger"]"#, with: #"candidates: ["@challenger", "2", "@challenger"]"#)
        let (result, json, dir) = try run(fixture)
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let candidates = try #require(json?["candidates"] as? [[String: Any]])
        #expect(candidates.map { $0["version"] as? String } == ["2"])
        #expect(candidates.first?["reference"] as? String == "@challenger")
        #expect(
            result.stderr.contains("\(dir.path("gate.yml")):4:30: note: candidate '2' is version 2, already listed as '@challenger'; evaluated once"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains("\(dir.path("gate.yml")):4:35: note: candidate '@challenger' is version 2, already listed as '@challenger'; evaluated once"),
            "\(result.stderr)")
        let validate = try Tool.run(["validate", "--config", dir.path("gate.yml")])
        #expect(validate.exitCode == 0)
        #expect(validate.stdout.contains("candidates 2\n"), "\(validate.stdout)")
        #expect(validate.stderr.contains("note: candidate '2' is version 2"))
    }

    @Test(
        "the report's commit comes from the CI environment, read by the command line",
        arguments: [
            (["TOLLGATE_COMMIT": "aaa111", "GITHUB_SHA": "bbb222"], "aaa111"),
            (["GITHUB_SHA": "bbb222"], "bbb222"),
            (["TOLLGATE_COMMIT": "", "CI_COMMIT_SHA": "ccc333"], "ccc333"),
            (["BUILDKITE_COMMIT": "ddd444"], "ddd444"),
            (["GIT_COMMIT": "eee555"], "eee555"),
            ([:], nil)
        ] as [([String: String], String?)])
    func commitFromEnvironment(environment: [String: String], commit: String?) throws {
        let dir = try ScratchDirectory()
        let config = try GateFixture().write(to: dir)
        var env = ["TOLLGATE_COMMIT": "", "GITHUB_SHA": "", "CI_COMMIT_SHA": "", "BUILDKITE_COMMIT": "", "GIT_COMMIT": ""]
        env.merge(environment) { $1 }
        let result = try Tool.run(["run", "--config", config, "--no-record", "-q", "--json", dir.path("run.json")], environment: env)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any]
        #expect((json?["inputs"] as? [String: Any])?["commit"] as? String == commit)
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let result = try Tool.run(["--help"])
        #expect(result.exitCode == 0)
        for line in ["0  pass", "1  fail", "2  error", "3  inconclusive"] { #expect(result.stdout.contains(line), "\(line)") }
    }

    @Test func candidatesAndValidateDescribeWithoutEvaluating() throws {
        let dir = try ScratchDirectory()
        let config = try GateFixture().write(to: dir)
        let candidates = try Tool.run(["candidates", "--config", config])
        #expect(candidates.exitCode == 0)
        #expect(candidates.stdout.contains("champion @champion → version 1"))
        #expect(candidates.stdout.contains("candidate @challenger → version 2"))
        #expect(candidates.stdout.contains("commit:     0123456789abcdef0123456789abcdef01234567"))
        let json = try Tool.run(["candidates", "--config", config, "--json"])
        let parsed = try JSONValue.parse(Data(json.stdout.utf8)) as? [String: Any]
        #expect((parsed?["versions"] as? [[String: Any]])?.map { $0["version"] as? String } == ["1", "2"])
        let validate = try Tool.run(["validate", "--config", config])
        #expect(validate.exitCode == 0)
        #expect(validate.stdout.contains("valid"))
        // validate never reads the dataset: a broken data file does not matter to it.
        try "garbage".write(toFile: dir.path("data.csv"), atomically: true, encoding: .utf8)
        #expect(try Tool.run(["validate", "--config", config]).exitCode == 0)
    }
}
