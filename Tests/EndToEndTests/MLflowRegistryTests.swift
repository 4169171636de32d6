import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// The MLflow registry end to end, against a real `mlflow server` holding the demo's three
/// credit-risk versions (fixtures/mlflow/register_demo.py): the same gate as the folder
/// registry, promotion through MLflow's aliases, and each bad input an exit 2 in the server's words.
@Suite("MLflow registry", .serialized)
struct MLflowRegistryTests {
    /// The demo's gate (fixtures/demo/tollgate.yml), with `registry:` pointing at `registry`,
    /// `model:` at `model` and data paths made absolute; every other line, and so every check's
    /// line and column, unchanged.
    static func config(
        registry: String, model: String = MLflowServer.demoModel, champion: String = "\"@champion\"",
        candidates: String = "[\"@challenger\", \"3\"]", in scratch: ScratchDirectory
    ) throws -> String {
        let demo = try String(contentsOfFile: Fixtures.path("demo/tollgate.yml"), encoding: .utf8)
        var lines = demo.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("registry: ") { lines[index] = "registry: \(registry)" }
            if line.hasPrefix("model: ") { lines[index] = "model: \(model)" }
            if line.hasPrefix("champion: ") { lines[index] = "champion: \(champion)" }
            if line.hasPrefix("candidates: ") { lines[index] = "candidates: \(candidates)" }
        }
        let text = lines.joined(separator: "\n")
            .replacingOccurrences(of: "path: data/", with: "path: \(Fixtures.path("demo/data"))/")
            .replacingOccurrences(of: "reference: data/", with: "reference: \(Fixtures.path("demo/data"))/")
        return try scratch.write("gate.yml", text)
    }

    static func mlflow() throws -> String { "mlflow+" + (try MLflowServer.url()) }

    /// `CONFIG:LINE:` of the first line starting with `prefix`, as errors begin.
    static func location(of prefix: String, in config: String) throws -> String {
        let lines = try String(contentsOfFile: config, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.hasPrefix(prefix) })
        return "\(config):\(index + 1):"
    }

    /// A report with what differs between two registries by construction taken out: file paths,
    /// timings, registration times and the config (path and digest: its `registry:` line differs).
    static func comparable(_ file: String, config: String) throws -> String {
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: config, with: "CONFIG")
        var value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        func strip(_ any: Any) -> Any {
            if let object = any as? [String: Any] {
                var kept: [String: Any] = [:]
                for (key, inner) in object where !Self.differing.contains(key) { kept[key] = strip(inner) }
                return kept
            }
            if let array = any as? [Any] { return array.map(strip) }
            return any
        }
        value = strip(value)
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    static let differing: Set<String> = ["path", "started_at", "finished_at", "duration_seconds", "created_at", "config"]

    @Test("the demo's gate against MLflow gives the folder registry's metrics, checks and decision")
    func sameGateSameReport() throws {
        let scratch = try ScratchDirectory()
        let folderConfig = try Self.config(registry: Fixtures.path("demo/registry"), in: scratch)
        let folder = try Tool.run(["run", "--config", folderConfig, "--json", scratch.path("folder.json"), "--no-record"])
        let folderReport = try Self.comparable(scratch.path("folder.json"), config: folderConfig)
        let mlflowConfig = try Self.config(registry: try Self.mlflow(), in: scratch)
        let mlflow = try Tool.run(["run", "--config", mlflowConfig, "--json", scratch.path("mlflow.json"), "--no-record"])
        #expect(mlflow.exitCode == folder.exitCode, "\(mlflow.stdout)\(mlflow.stderr)")
        #expect([0, 1, 3].contains(mlflow.exitCode), "\(mlflow.stderr)")
        let mlflowReport = try Self.comparable(scratch.path("mlflow.json"), config: mlflowConfig)
        #expect(mlflowReport == folderReport)
        // The files came through the artifact proxy into the cache beside the config.
        let cached = try FileManager.default.subpathsOfDirectory(atPath: scratch.path(".tollgate/cache/mlflow"))
        #expect(cached.contains { $0.hasSuffix("/predictions.csv") } && cached.contains { $0.hasSuffix("/model.pkl") }, "\(cached)")
    }

    @Test("candidates lists what the references resolve to, with the run's commit and the version's tags")
    func candidates() throws {
        let scratch = try ScratchDirectory()
        let result = try Tool.run(["candidates", "--config", try Self.config(registry: try Self.mlflow(), in: scratch)])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("champion @champion → version 1"), "\(result.stdout)")
        #expect(result.stdout.contains("candidate @challenger → version 2"))
        #expect(result.stdout.contains("commit:     1b896a4560c9f18749a44fb1f2d8bbba222564da (2026-08-31T16:20:00Z)"))
        #expect(result.stdout.contains("owners: credit-risk-team@example.com"))
        #expect(result.stdout.contains("algorithm=random_forest, framework=scikit-learn 1.9.1"))
    }

    @Test("a model's versions are read page by page: one version per page gives the versions one page gives")
    func pagination() throws {
        let scratch = try ScratchDirectory()
        var registry = MLflowRegistry(registry: try Self.mlflow(), environment: [:], cache: scratch.path("cache"), location: nil)
        let whole = try registry.model(MLflowServer.demoModel).versions
        registry.pageSize = 1
        #expect(try registry.model(MLflowServer.demoModel).versions == whole)
        #expect(whole == ["1", "2", "3"])
    }

    @Test("promote moves the alias in MLflow (read back over REST) and records the deployment with the version it replaces")
    func promote() throws {
        let model = try MLflowServer.copy(as: "promote")
        let scratch = try ScratchDirectory()
        let history = scratch.path("history.sqlite")
        let result = try Tool.run(["promote", "\(model)@2", "--registry", try Self.mlflow(), "--history", history])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("@champion → \(model) version 2 (was 1)"), "\(result.stdout)")
        #expect(try MLflowServer.alias(model, "champion") == "2")
        let store = try SQLHistory.open(.sqlite(path: history))
        defer { store.close() }
        var deployments: [Deployment] = []
        try store.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in
            if case .deployment(let d) = event { deployments.append(d) }
        }
        #expect(deployments.map(\.version) == ["2"])
        #expect(deployments.first?.model == model)
        #expect(deployments.first?.commit == "eb3d68b1b9afb8c51eb0270d5b81abcb7e7668c6")
    }

    @Test("run --promote moves @champion in MLflow when the gate passes")
    func runPromote() throws {
        let model = try MLflowServer.copy(as: "run-promote")
        let scratch = try ScratchDirectory()
        let config = try Self.config(registry: try Self.mlflow(), model: model, candidates: "[\"@challenger\"]", in: scratch)
        let result = try Tool.run(["run", "--config", config, "--promote", "--history", scratch.path("history.sqlite")])
        if result.exitCode == 0 {
            #expect(result.stdout.contains("promoted: @champion → \(model) version 2 (was 1)"), "\(result.stdout)")
            #expect(try MLflowServer.alias(model, "champion") == "2")
        } else {
            #expect(result.stdout.contains("not promoted: the gate did not pass"), "\(result.stdout)\(result.stderr)")
            #expect(try MLflowServer.alias(model, "champion") == "1")
        }
    }

    @Test("an alias moved by someone else after resolution is refused; MLflow keeps their move and nothing is recorded")
    func concurrentMoveRefused() throws {
        let model = try MLflowServer.copy(as: "race")
        let scratch = try ScratchDirectory()
        let registry = RegistryFactory.open(root: try Self.mlflow(), namedAt: SourceLocation(file: "--registry"), cacheBeside: scratch.path(""))
        let resolved = try registry.model(model)
        #expect(resolved.aliases["champion"] == "1")
        try MLflowServer.setAlias(model, "champion", to: "3")
        let history = try SQLHistory.open(.sqlite(path: scratch.path("history.sqlite")))
        defer { history.close() }
        let error = try #require(throws: TollgateError.self) {
            try Promotion(registry: registry, history: history).promote(model: model, version: "2", at: .now(), resolved: resolved)
        }
        #expect(error.message.contains("@champion of \(model) was moved by someone else: it names version 3 now, not version 1"), "\(error)")
        #expect(try MLflowServer.alias(model, "champion") == "3")
        var count = 0
        try history.forEachEvent(model: nil) { (_: HistoryEvent) throws(TollgateError) in count += 1 }
        #expect(count == 0)
    }

    @Test("a deployment the history refuses puts the MLflow alias back")
    func historyRefusesAliasPutBack() throws {
        let model = try MLflowServer.copy(as: "refused")
        let scratch = try ScratchDirectory()
        let registry = RegistryFactory.open(root: try Self.mlflow(), namedAt: SourceLocation(file: "--registry"), cacheBeside: scratch.path(""))
        let history = try SQLHistory.open(.sqlite(path: scratch.path("history.sqlite")))
        defer { history.close() }
        let error = try #require(throws: TollgateError.self) {
            try Promotion(registry: registry, history: history).promote(model: model, version: "2", at: Instant(rfc3339: "2999-01-01T00:00:00Z")!)
        }
        #expect(error.kind == .history && error.message.contains("in the future"), "\(error)")
        #expect(try MLflowServer.alias(model, "champion") == "1")
    }

    @Test("run --site from an MLflow-backed run shows every version's card as the folder-backed site does")
    func site() throws {
        var pages: [String: [String: String]] = [:]
        for (kind, registry) in [("folder", Fixtures.path("demo/registry")), ("mlflow", try Self.mlflow())] {
            let scratch = try ScratchDirectory()
            let config = try Self.config(registry: registry, in: scratch)
            let result = try Tool.run(
                ["run", "--config", config, "--history", scratch.path("history.sqlite"), "--site", scratch.path("site")],
                environment: ["SOURCE_DATE_EPOCH": "1800000000"])
            #expect([0, 1, 3].contains(result.exitCode), "\(kind): \(result.stderr)")
            for version in ["1", "2", "3"] {
                let card = scratch.path("site/cards/\(MLflowServer.demoModel)/\(version).html")
                pages[kind, default: [:]][version] = try String(contentsOfFile: card, encoding: .utf8)
            }
            #expect(FileManager.default.fileExists(atPath: scratch.path("site/index.html")))
        }
        for version in ["1", "2", "3"] {
            let mlflow = try #require(pages["mlflow"]?[version])
            #expect(mlflow.contains("credit-risk v\(version)"), "\(mlflow.prefix(400))")
            #expect(mlflow == pages["folder"]?[version], "card page of version \(version)")
        }
    }

    /// `tollgate run` on the demo gate with one line changed; it must exit 2 and say `words`
    /// at `line` (the config line the error points at).
    func refused(
        model: String = MLflowServer.demoModel, registry: String? = nil, champion: String = "\"@champion\"",
        candidates: String = "[\"@challenger\", \"3\"]", environment: [String: String] = [:], at line: String, _ words: String...
    ) throws {
        let scratch = try ScratchDirectory()
        let config = try Self.config(registry: try registry ?? Self.mlflow(), model: model, champion: champion, candidates: candidates, in: scratch)
        let result = try Tool.run(["run", "--config", config, "--no-record"], environment: environment)
        #expect(result.exitCode == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(try Self.location(of: line, in: config)), "\(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(result.stderr)") }
    }

    @Test("an unknown model, alias or version exits 2 in the server's words, at the config line")
    func unknownNames() throws {
        try refused(model: "no-such-model", at: "registry:", "model 'no-such-model'", "RESOURCE_DOES_NOT_EXIST")
        try refused(champion: "\"@nope\"", at: "champion:", "alias '@nope'", "INVALID_PARAMETER_VALUE", "alias nope not found")
        try refused(candidates: "[\"99\"]", at: "candidates:", "version '99'", "RESOURCE_DOES_NOT_EXIST")
    }

    @Test("an unreachable server exits 2 with its URL and the error")
    func unreachable() throws {
        // A port that was free a moment ago: nothing listens on it.
        let socket = try LoopbackPort.free()
        try refused(registry: "mlflow+http://127.0.0.1:\(socket)", at: "registry:", "cannot reach the MLflow server http://127.0.0.1:\(socket)")
    }

    @Test("a missing scorer artifact, a sha256 mismatch and a malformed tollgate.scorer tag each exit 2")
    func badVersions() throws {
        let missing = try MLflowServer.copy(as: "missing")
        try MLflowServer.setTag(missing, version: "2", "tollgate.scorer", "predictions:absent.csv")
        try refused(model: missing, at: "candidates:", "the scorer artifact 'absent.csv' of \(missing)@2 is not among its artifacts")

        let mismatch = try MLflowServer.copy(as: "sha")
        try MLflowServer.setTag(mismatch, version: "2", "tollgate.sha256", String(repeating: "0", count: 64))
        try refused(
            model: mismatch, at: "candidates:", "sha256 mismatch for the model file 'model.pkl' of \(mismatch)@2",
            "d7cc493f2aa9932623812d59bfc5d44bad722b2167017398421968a3677fe3e1")

        let malformed = try MLflowServer.copy(as: "malformed")
        try MLflowServer.setTag(malformed, version: "2", "tollgate.scorer", "pickle:model.pkl")
        try refused(model: malformed, at: "candidates:", "malformed tollgate.scorer tag 'pickle:model.pkl' on version \(malformed)@2")
        try MLflowServer.setTag(malformed, version: "2", "tollgate.scorer", "predictions:../../etc/passwd")
        try refused(model: malformed, at: "candidates:", "malformed tollgate.scorer tag 'predictions:../../etc/passwd'")
    }

    @Test("against MLflow's basic-auth app: a wrong password is 401, a user without permission 403; neither secret is printed")
    func credentials() throws {
        let (url, admin) = try MLflowServer.authServer()
        let model = "secret-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try MLflowServer.rest(url, "POST", "registered-models/create", body: ["name": model], basic: ("admin", admin))
        let reader = "reader-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try MLflowServer.rest(url, "POST", "users/create", body: ["username": reader, "password": "reader-pw-0123"], basic: ("admin", admin))
        let wrong = ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": "not-the-password"]
        try refused(
            model: model, registry: "mlflow+\(url)", environment: wrong, at: "registry:", "refused the credentials (HTTP 401", "MLFLOW_TRACKING_USERNAME")
        let denied = ["MLFLOW_TRACKING_USERNAME": reader, "MLFLOW_TRACKING_PASSWORD": "reader-pw-0123"]
        try refused(
            model: model, registry: "mlflow+\(url)", environment: denied, at: "registry:", "denied access to model '\(model)' (HTTP 403: Permission denied)")
        // The admin's credentials get through: the model is read and its missing alias reported.
        let allowed = ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": admin]
        try refused(model: model, registry: "mlflow+\(url)", environment: allowed, at: "champion:", "alias '@champion'", "not found")
        for environment in [wrong, denied, allowed] {
            let scratch = try ScratchDirectory()
            let config = try Self.config(registry: "mlflow+\(url)", model: model, in: scratch)
            let result = try Tool.run(["run", "--config", config, "--no-record"], environment: environment)
            #expect(!(result.stdout + result.stderr).contains(environment["MLFLOW_TRACKING_PASSWORD"]!))
        }
    }
}
