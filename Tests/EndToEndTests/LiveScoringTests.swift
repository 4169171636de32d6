import Foundation
import Testing
import TollgateTestSupport

/// Gates over served models: MLServer (Open Inference Protocol v2) and `mlflow models serve`,
/// real servers started by `scripts/serving.sh`, serving the models of
/// fixtures/serving/train_models.py, whose own `predict_proba` is the oracle.
@Suite struct LiveScoringTests {
    /// A gate on the demo's evaluation rows: version 1 scored from a predictions file, version 2
    /// by `scorer2` (a `scorer:` block), both sent the four numeric columns the models know.
    struct LiveGate {
        let scratch: ScratchDirectory
        let config: String

        init(scorer2: String, scorer1: String? = nil, checks: [String] = defaultChecks) throws {
            scratch = try ScratchDirectory()
            let schema = """
                schema:
                  inputs: {job: integer, credit_amount: number, duration: integer, age: integer}
                """
            try scratch.write("registry/credit/model.yaml", "aliases: {champion: \"1\", challenger: \"2\"}\n")
            let file1 = scorer1 ?? "scorer:\n  predictions: \(Fixtures.path("serving/oracle/credit-lr.csv"))"
            try scratch.write("registry/credit/1/version.yaml", "\(file1)\n\(schema)\n")
            try scratch.write("registry/credit/2/version.yaml", "\(scorer2)\n\(schema)\n")
            config = try scratch.write(
                "gate.yml",
                """
                model: credit
                registry: registry
                champion: "@champion"
                candidates: ["@challenger"]
                dataset:
                  path: \(Fixtures.path("demo/data/eval.csv"))
                  id: id
                  label: risk
                  task: binary
                  sensitive: [sex]
                checks:
                \(checks.map { "  \($0)" }.joined(separator: "\n"))

                """)
        }

        func run(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (ToolResult, [String: Any]) {
            let json = scratch.path("run-\(UUID().uuidString).json")
            let result = try Tool.run(["run", "--config", config, "--no-record", "--json", json] + extra, environment: environment)
            let report = (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSONValue.parse($0) as? [String: Any] } ?? [:]
            return (result, report)
        }
    }

    static let defaultChecks = [
        "accuracy:", "  - roc_auc >= champion - 0.2", "  - accuracy >= 0.6", "  - log_loss <= champion * 1.2", "fairness:",
        "  - demographic_parity_ratio[sex] >= 0.5"
    ]

    static func mlserver(_ model: String, extra: String = "") throws -> String {
        """
        scorer:
          http:
            url: \(try InferenceServers.mlserverURL())
            protocol: oip-v2
            model: \(model)
            batch_size: 32
            concurrency: 3
        \(extra)
        """
    }

    static func mlflow(extra: String = "") throws -> String {
        """
        scorer:
          http:
            url: \(try InferenceServers.mlflowServeURL())
            protocol: mlflow
            batch_size: 50
            concurrency: 2
        \(extra)
        """
    }

    /// id → score of a predictions CSV (`id,score`).
    static func scores(_ path: String) throws -> [String: Double] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(
            uniqueKeysWithValues: lines.map { line in
                let parts = line.split(separator: ",")
                return (String(parts[0]), Double(String(parts[1]))!)
            })
    }

    static func candidate(_ report: [String: Any]) -> [String: Any] { (report["candidates"] as? [[String: Any]])?.first ?? [:] }

    // MARK: oracles

    /// The model each served case scores: MLServer serves both; mlflow serves the regression.
    @Test(arguments: [("credit-lr", "mlserver"), ("credit-gb", "mlserver"), ("credit-lr", "mlflow")])
    func scoresThroughTheServerEqualScikitLearnsPredictProba(model: String, server: String) throws {
        let gate = try LiveGate(scorer2: server == "mlflow" ? try Self.mlflow() : try Self.mlserver(model))
        let (result, report) = try gate.run()
        #expect([0, 1].contains(result.exitCode), "\(result.stderr)")
        let path = try #require((Self.candidate(report)["predictions"] as? [String: Any])?["path"] as? String, "\(result.stderr)")
        let served = try Self.scores(path)
        let oracle = try Self.scores(Fixtures.path("serving/oracle/\(model).csv"))
        #expect(served.count == 400)
        #expect(Set(served.keys) == Set(oracle.keys))
        let worst = oracle.map { abs(served[$0.key, default: .nan] - $0.value) }.max() ?? .nan
        #expect(worst <= 1e-12, "largest difference from predict_proba: \(worst)")
    }

    @Test func aGateOverHTTPDecidesAndMeasuresAsOverThePredictionsFileOfTheSameModel() throws {
        let live = try LiveGate(scorer2: try Self.mlserver("credit-gb"))
        let file = try LiveGate(scorer2: "scorer:\n  predictions: \(Fixtures.path("serving/oracle/credit-gb.csv"))")
        let (liveResult, liveReport) = try live.run()
        let (fileResult, fileReport) = try file.run()
        #expect(liveResult.exitCode == fileResult.exitCode, "\(liveResult.stderr)")
        #expect(liveReport["decision"] as? String == fileReport["decision"] as? String)
        let liveMetrics = try #require(Self.candidate(liveReport)["metrics"] as? [String: Any])
        let fileMetrics = try #require(Self.candidate(fileReport)["metrics"] as? [String: Any])
        #expect(Set(liveMetrics.keys) == Set(fileMetrics.keys))
        for (name, value) in fileMetrics {
            guard let expected = number(value) else { continue }
            #expect(agrees(number(liveMetrics[name]), expected, tolerance: 1e-12), "\(name)")
        }
        let outcomes = { (report: [String: Any]) in (Self.candidate(report)["checks"] as? [[String: Any]])?.map { $0["outcome"] as? String } }
        #expect(outcomes(liveReport) == outcomes(fileReport))
        #expect(outcomes(liveReport)?.isEmpty == false)
    }

    // MARK: the cache

    @Test func aRerunReadsTheCacheAndRescoreAsksTheServerAgain() throws {
        let gate = try LiveGate(scorer2: try Self.mlserver("credit-lr"))
        let (first, firstReport) = try gate.run()
        let scoring = { (report: [String: Any]) in Self.candidate(report)["scoring"] as? [String: Any] ?? [:] }
        #expect(first.exitCode != 2, "\(first.stderr)")
        #expect(scoring(firstReport)["cache_hit"] as? Bool == false)
        #expect(scoring(firstReport)["requests"] as? Int == 13) // 400 rows in batches of 32
        #expect(scoring(firstReport)["rows"] as? Int == 400)
        #expect(scoring(firstReport)["endpoint"] as? String == "\(try InferenceServers.mlserverURL())/v2/models/credit-lr/infer")
        #expect(scoring(firstReport)["protocol"] as? String == "oip-v2")
        #expect(
            first.stdout.contains("scored 2: http oip-v2 \(try InferenceServers.mlserverURL())/v2/models/credit-lr/infer: 400 rows, 13 requests, 0 retries"))
        let cache = gate.scratch.path(".tollgate/cache/scores")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        #expect(entries.count == 2 && entries[0].hasSuffix(".csv") && entries[1].hasSuffix(".json"), "\(entries)")

        let (second, secondReport) = try gate.run()
        #expect(second.exitCode == first.exitCode)
        #expect(scoring(secondReport)["cache_hit"] as? Bool == true)
        #expect(second.stdout.contains("from the cache"))
        #expect(Self.candidate(secondReport)["metrics"] as? NSDictionary == Self.candidate(firstReport)["metrics"] as? NSDictionary)

        let (third, thirdReport) = try gate.run(["--rescore"])
        #expect(third.exitCode == first.exitCode)
        #expect(scoring(thirdReport)["cache_hit"] as? Bool == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
    }

    @Test func aChangedFeatureSetIsADifferentCacheEntry() throws {
        let gate = try LiveGate(scorer2: try Self.mlserver("credit-lr"))
        _ = try gate.run()
        let yaml = gate.scratch.path("registry/credit/2/version.yaml")
        let text = try String(contentsOfFile: yaml, encoding: .utf8)
        try text.replacingOccurrences(of: "credit_amount: number", with: "credit_amount: integer").write(toFile: yaml, atomically: true, encoding: .utf8)
        let (result, report) = try gate.run()
        #expect(result.exitCode != 2, "\(result.stderr)")
        #expect((Self.candidate(report)["scoring"] as? [String: Any])?["cache_hit"] as? Bool == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: gate.scratch.path(".tollgate/cache/scores")).count == 4)
    }

    // MARK: faults a real server shows

    @Test func aModelTheServerDoesNotServeIsNotReadyAndTheMessageNamesTheURLAndWhatItSaid() throws {
        let gate = try LiveGate(scorer2: try Self.mlserver("credit-xx", extra: "    ready_timeout: 1s"))
        let (result, report) = try gate.run()
        #expect(result.exitCode == 2)
        #expect(report.isEmpty)
        let url = try InferenceServers.mlserverURL()
        #expect(
            result.stderr.contains(
                "version.yaml:3:5: the model at \(url)/v2/models/credit-xx/ready was not ready within 1 s (the scorer's 'ready_timeout'); "
                    + "last: GET \(url)/v2/models/credit-xx/ready answered HTTP 404"), "\(result.stderr)")
        let cache = (try? FileManager.default.contentsOfDirectory(atPath: gate.scratch.path(".tollgate/cache/scores"))) ?? []
        #expect(cache.isEmpty)
    }

    @Test func anOutputTheModelDoesNotHaveIsTheServersErrorQuotedWithExitTwoAndNothingCached() throws {
        let gate = try LiveGate(scorer2: try Self.mlserver("credit-lr", extra: "    output: decision_function"))
        let (result, _) = try gate.run()
        #expect(result.exitCode == 2)
        let url = try InferenceServers.mlserverURL()
        #expect(result.stderr.contains("\(url)/v2/models/credit-lr/infer answered HTTP 400 for rows '"), "\(result.stderr)")
        #expect(result.stderr.contains("decision_function"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: gate.scratch.path(".tollgate/cache/scores")).isEmpty)
    }

    @Test func aServerNobodyListensOnIsNotReadyAndTheRefusalIsSaid() throws {
        let gate = try LiveGate(scorer2: "scorer:\n  http: {url: \"http://127.0.0.1:9\", protocol: mlflow, ready_timeout: 500ms}")
        let (result, _) = try gate.run()
        #expect(result.exitCode == 2)
        #expect(
            result.stderr.contains(
                "the model at http://127.0.0.1:9/ping was not ready within 0.5 s (the scorer's 'ready_timeout'); last: GET http://127.0.0.1:9/ping:"),
            "\(result.stderr)")
    }

    @Test func aBinaryModelGatedAsAThreeClassDatasetIsAClassMismatch() throws {
        let gate = try LiveGate(scorer2: try Self.mlflow(), scorer1: try Self.mlflow(), checks: ["accuracy:", "  - accuracy >= 0.1"])
        let config = try String(contentsOfFile: gate.config, encoding: .utf8)
        try config.replacingOccurrences(of: "task: binary", with: "task: multiclass\n  classes: [0, 1, 2]")
            .write(toFile: gate.config, atomically: true, encoding: .utf8)
        let (result, _) = try gate.run()
        #expect(result.exitCode == 2)
        #expect(
            result.stderr.contains("is not one valid prediction per row: expected 3 probability columns (dataset.classes: 0, 1, 2), found 2"),
            "\(result.stderr)")
    }

    // MARK: secrets

    @Test func aSecretFromTheEnvironmentIsSentButAppearsInNoOutputReportHistoryOrSite() throws {
        let secret = "tg-secret-\(UUID().uuidString)"
        let gate = try LiveGate(scorer2: try Self.mlflow(extra: "    headers: {Authorization: \"Bearer ${TOLLGATE_TEST_TOKEN}\"}"))
        let history = gate.scratch.path("history.sqlite")
        let json = gate.scratch.path("run.json")
        let result = try Tool.run(
            [
                "run", "--config", gate.config, "--json", json, "--history", history, "--site", gate.scratch.path("site"), "--summary",
                gate.scratch.path("summary.md")
            ],
            environment: ["TOLLGATE_TEST_TOKEN": secret])
        #expect([0, 1].contains(result.exitCode), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains(secret))
        var files = 0
        for case let path as String in FileManager.default.enumerator(atPath: gate.scratch.url.path)! {
            let full = gate.scratch.path(path)
            guard let data = FileManager.default.contents(atPath: full) else { continue }
            files += 1
            #expect(data.range(of: Data(secret.utf8)) == nil, "the secret is in \(path)")
        }
        #expect(files > 10)
        #expect(try String(contentsOfFile: json, encoding: .utf8).contains("\"cache_hit\""))
        // And it is needed: without the variable the run stops before sending anything.
        let unset = try Tool.run(["run", "--config", gate.config, "--no-record", "--rescore"])
        #expect(unset.exitCode == 2)
        #expect(unset.stderr.contains("environment variable TOLLGATE_TEST_TOKEN is not set (named by '${TOLLGATE_TEST_TOKEN}')"), "\(unset.stderr)")
    }
}
