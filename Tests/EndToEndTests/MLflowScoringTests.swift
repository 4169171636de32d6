import Foundation
import Testing
import TollgateTestSupport

/// An MLflow registry's versions scored live: the version itself served by `mlflow models serve`
/// (config `mlflow: {serve: true}`), and a `tollgate.scorer: http:URL` tag pointing at a model
/// already served. Against the real `mlflow server` of scripts/mlflow-server.sh holding the real
/// scikit-learn model `credit-lr` (fixtures/mlflow/register_demo.py), the real `mlflow` program
/// (TOLLGATE_TEST_MLFLOW_BIN) and the MLServer of scripts/serving.sh (TOLLGATE_TEST_MLSERVER_URL).
@Suite("MLflow registry: live scoring", .serialized)
struct MLflowScoringTests {
    static let environment = ProcessInfo.processInfo.environment
    static let hasMLflowBinary = MLflowServer.binary != nil
    static let hasMLServer = !(environment["TOLLGATE_TEST_MLSERVER_URL"] ?? "").isEmpty

    /// A gate over `credit-lr` (or a copy) on the demo's evaluation rows, with `mlflow` as the
    /// config's `mlflow:` block when given (its last line).
    struct Gate {
        let scratch: ScratchDirectory
        let config: String

        init(
            model: String = MLflowServer.servedModel, candidates: String = "[\"@challenger\"]", mlflow: String? = nil,
            scratch: ScratchDirectory? = nil
        ) throws {
            self.scratch = try scratch ?? ScratchDirectory()
            var text = """
                model: \(model)
                registry: mlflow+\(try MLflowServer.url())
                champion: "@champion"
                candidates: \(candidates)
                dataset:
                  path: \(Fixtures.path("demo/data/eval.csv"))
                  id: id
                  label: risk
                  task: binary
                  sensitive: [sex]
                checks:
                  accuracy:
                    - roc_auc >= champion - 0.2
                    - accuracy >= 0.6
                    - log_loss <= champion * 1.2
                  fairness:
                    - demographic_parity_ratio[sex] >= 0.5

                """
            if let mlflow { text += "mlflow: \(mlflow)\n" }
            config = try self.scratch.write("gate.yml", text)
        }

        func run(environment: [String: String] = [:]) throws -> (ToolResult, [String: Any]) {
            let json = scratch.path("run-\(UUID().uuidString).json")
            let result = try Tool.run(["run", "--config", config, "--no-record", "--json", json], environment: environment)
            let report = (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSONValue.parse($0) as? [String: Any] } ?? [:]
            return (result, report)
        }

        /// `CONFIG:LINE:` of the first line starting with `prefix`.
        func location(of prefix: String) throws -> String {
            let lines = try String(contentsOfFile: config, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let index = try #require(lines.firstIndex { $0.hasPrefix(prefix) })
            return "\(config):\(index + 1):"
        }
    }

    static func serve(_ binary: String, extra: String = "") -> String {
        "{serve: true, command: [\"\(binary)\"]\(extra)}"
    }

    static func candidate(_ report: [String: Any]) -> [String: Any] { (report["candidates"] as? [[String: Any]])?.first ?? [:] }
    static func scoring(_ report: [String: Any]) -> [String: Any] { candidate(report)["scoring"] as? [String: Any] ?? [:] }

    /// The gate over version 4, the same model scored from its predictions.csv artifact.
    static func fileTwin() throws -> (ToolResult, [String: Any]) {
        try Gate(candidates: "[\"4\"]").run()
    }

    /// Same exit code, decision, check outcomes, and metrics to 1e-12.
    static func expectSame(_ live: (ToolResult, [String: Any]), as file: (ToolResult, [String: Any]), _ what: String) {
        #expect(live.0.exitCode == file.0.exitCode, "\(what): \(live.0.stdout)\(live.0.stderr)")
        #expect([0, 1].contains(live.0.exitCode), "\(what): \(live.0.stderr)")
        #expect(live.1["decision"] as? String == file.1["decision"] as? String, "\(what)")
        let liveMetrics = candidate(live.1)["metrics"] as? [String: Any] ?? [:]
        let fileMetrics = candidate(file.1)["metrics"] as? [String: Any] ?? [:]
        #expect(!fileMetrics.isEmpty && Set(liveMetrics.keys) == Set(fileMetrics.keys), "\(what)")
        for (name, value) in fileMetrics {
            guard let expected = number(value) else { continue }
            #expect(agrees(number(liveMetrics[name]), expected, tolerance: 1e-12), "\(what): \(name)")
        }
        let outcomes = { (report: [String: Any]) in (candidate(report)["checks"] as? [[String: Any]])?.map { $0["outcome"] as? String } }
        #expect(outcomes(live.1) == outcomes(file.1) && outcomes(file.1)?.isEmpty == false, "\(what)")
    }

    /// Processes whose command line contains `text` (none of them zombies: a zombie has none).
    static func processes(containing text: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { Int($0) != nil }.compactMap { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline"), !data.isEmpty else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(text) ? "\(id): \(line)" : nil
        }
    }

    /// Whether the machine's zombies are back to at most `count` within 5 s: a zombie has no
    /// command line left to recognise it by, so a run may only leave as many as there were
    /// before it, once init has reaped what it was handed.
    static func zombiesSettle(atMost count: Int) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while zombies().count > count, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        return zombies().count <= count
    }

    /// The machine's zombies, but not the test process's own children: other tests running
    /// beside this one reap theirs a moment later (a `tollgate` they ran once failed this check).
    static func zombies() -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let tests = String(getpid())
        return ids.filter { Int($0) != nil }.compactMap { id in
            guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.first == "Z" && fields.dropFirst().first.map(String.init) != tests ? stat : nil
        }
    }

    // MARK: mlflow models serve

    @Test(
        "a version served by mlflow models serve (tagged mlflow-serve, or untagged) gates as the same model scored from its predictions artifact",
        .enabled(if: hasMLflowBinary, "no mlflow program: set TOLLGATE_TEST_MLFLOW_BIN (scripts/test.sh does) or run scripts/python-env.sh serving"))
    func servedGatesAsItsPredictionsArtifact() throws {
        let binary = try #require(MLflowServer.binary)
        let file = try Self.fileTwin()

        for candidates in ["[\"@challenger\"]", "[\"3\"]"] {
            let gate = try Gate(candidates: candidates, mlflow: Self.serve(binary))
            let zombies = Self.zombies().count
            let live = try gate.run()
            Self.expectSame(live, as: file, "candidates \(candidates)")
            let scoring = Self.scoring(live.1)
            #expect(scoring["cache_hit"] as? Bool == false)
            #expect(scoring["protocol"] as? String == "mlflow")
            #expect(scoring["rows"] as? Int == 400)
            let endpoint = try #require(scoring["endpoint"] as? String)
            #expect(endpoint.hasPrefix("http://127.0.0.1:") && endpoint.hasSuffix("/invocations"), "\(endpoint)")
            // Stopped once scored: nothing serves the version any more, and nothing is left a zombie.
            #expect(Self.processes(containing: "models:/\(MLflowServer.servedModel)/").isEmpty)
            #expect(Self.zombiesSettle(atMost: zombies), "\(Self.zombies())")

            // The scores are cached by the version's identity: a rerun starts no server, even one
            // that could never start.
            let rerun = try Gate(candidates: candidates, mlflow: "{serve: true, command: [/bin/false]}", scratch: gate.scratch).run()
            #expect(Self.scoring(rerun.1)["cache_hit"] as? Bool == true, "\(rerun.0.stderr)")
            Self.expectSame(rerun, as: file, "rerun of \(candidates)")
        }
    }

    @Test(
        "a server that never answers GET /ping, or that exits, is stopped and exits 2 at the config line with its last stderr lines; no secret shown",
        .enabled(if: hasMLflowBinary, "no mlflow program: set TOLLGATE_TEST_MLFLOW_BIN (scripts/test.sh does) or run scripts/python-env.sh serving"))
    func serveThatNeverBecomesReady() throws {
        let scratch = try ScratchDirectory()
        let marker = "tollgate-hang-\(UUID().uuidString.prefix(8))"
        // Says what it was given, starts a child that would outlive it, and never listens.
        let hang = try scratch.write(
            "fake-mlflow",
            """
            #!/bin/sh
            echo "fake mlflow: $* with MLFLOW_TRACKING_URI=$MLFLOW_TRACKING_URI password=$MLFLOW_TRACKING_PASSWORD" >&2
            echo "fake mlflow: loading the model, forever" >&2
            /bin/sh -c 'sleep 300; : \(marker)' &
            wait

            """)
        chmod(hang, 0o755)
        let secrets = ["MLFLOW_TRACKING_USERNAME": "ann", "MLFLOW_TRACKING_PASSWORD": "serve-secret-4711"]

        let gate = try Gate(mlflow: "{serve: true, command: [./fake-mlflow], ready_timeout: 2s}", scratch: scratch)
        let zombies = Self.zombies().count
        let started = Date()
        let (result, report) = try gate.run(environment: secrets)
        #expect(result.exitCode == 2, "\(result.stdout)\(result.stderr)")
        #expect(report.isEmpty)
        #expect(Date().timeIntervalSince(started) < 60)
        let model = MLflowServer.servedModel
        #expect(result.stderr.contains(try gate.location(of: "mlflow:")), "\(result.stderr)")
        #expect(
            result.stderr.contains("\(hang) models serve of \(model)@2 (models:/\(model)/2) did not answer GET http://127.0.0.1:"), "\(result.stderr)")
        #expect(result.stderr.contains("/ping with 200 within 2 s (mlflow.ready_timeout); last lines of its stderr: "), "\(result.stderr)")
        #expect(result.stderr.contains("fake mlflow: loading the model, forever"), "\(result.stderr)")
        // The command line it was given, and the registry it was pointed at.
        #expect(result.stderr.contains("models serve -m models:/\(model)/2 --env-manager local -h 127.0.0.1 -p "), "\(result.stderr)")
        #expect(result.stderr.contains("MLFLOW_TRACKING_URI=\(try MLflowServer.url())"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("serve-secret-4711"), "\(result.stderr)")
        #expect(result.stderr.contains("password=***"), "\(result.stderr)")
        // Its process group went with it.
        #expect(Self.processes(containing: marker).isEmpty, "\(Self.processes(containing: marker))")
        #expect(Self.processes(containing: hang).isEmpty)
        #expect(Self.zombiesSettle(atMost: zombies), "\(Self.zombies())")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path(".tollgate/cache/scores"))) ?? []).isEmpty)

        let exiting = try Gate(mlflow: "{serve: true, command: [./exiting-mlflow]}")
        chmod(try exiting.scratch.write("exiting-mlflow", "#!/bin/sh\necho \"fake mlflow: no such flavor\" >&2\nexit 3\n"), 0o755)
        let (exited, _) = try exiting.run()
        #expect(exited.exitCode == 2, "\(exited.stdout)\(exited.stderr)")
        #expect(exited.stderr.contains(try exiting.location(of: "mlflow:")), "\(exited.stderr)")
        #expect(
            exited.stderr.contains(
                "models serve of \(model)@2 (models:/\(model)/2) exited with status 3 before it answered GET /ping; "
                    + "last lines of its stderr: fake mlflow: no such flavor"), "\(exited.stderr)")
    }

    @Test("Ctrl-C while a version is being served stops the server's process group (which the terminal's signal does not reach) and then tollgate")
    func interruptStopsTheServer() throws {
        let scratch = try ScratchDirectory()
        let marker = "tollgate-interrupted-\(UUID().uuidString.prefix(8))"
        let script = try scratch.write(
            "slow-mlflow", "#!/bin/sh\necho \"fake mlflow: loading\" >&2\n/bin/sh -c 'sleep 300; : \(marker)' &\nwait\n")
        chmod(script, 0o755)
        let gate = try Gate(mlflow: "{serve: true, command: [./slow-mlflow], ready_timeout: 5m}", scratch: scratch)
        let tool = try BackgroundTool.start(["run", "--config", gate.config, "--no-record"], logPath: scratch.path("run.log"))
        defer { tool.stop() }
        let deadline = Date().addingTimeInterval(60)
        while Self.processes(containing: marker).isEmpty, tool.exited() == nil, Date() < deadline { usleep(50_000) }
        #expect(!Self.processes(containing: marker).isEmpty, "the fake server never started: \(tool.log)")
        kill(tool.pid, SIGINT)
        var status: Int32?
        while status == nil, Date() < deadline.addingTimeInterval(30) {
            status = tool.exited()
            usleep(50_000)
        }
        #expect(status == 128 + SIGINT, "\(tool.log)")
        let gone = Date().addingTimeInterval(10)
        while !(Self.processes(containing: marker) + Self.processes(containing: script)).isEmpty, Date() < gone { usleep(100_000) }
        #expect(Self.processes(containing: marker).isEmpty && Self.processes(containing: script).isEmpty, "\(Self.processes(containing: marker))")
    }

    @Test("without mlflow: {serve: true}, a version tagged mlflow-serve or untagged exits 2 saying how to serve it")
    func serveNeedsTheConfigsConsent() throws {
        let tagged = try Gate()
        let (result, _) = try tagged.run()
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(try tagged.location(of: "candidates:")), "\(result.stderr)")
        #expect(
            result.stderr.contains("\(MLflowServer.servedModel)@2 is tagged tollgate.scorer: mlflow-serve, but this config does not let Tollgate serve models"),
            "\(result.stderr)")
        let untagged = try Gate(candidates: "[\"3\"]", mlflow: "{serve: false}")
        let (second, _) = try untagged.run()
        #expect(second.exitCode == 2)
        #expect(second.stderr.contains("\(MLflowServer.servedModel)@3 has no tollgate.scorer tag"), "\(second.stderr)")
        #expect(second.stderr.contains("mlflow: {serve: true}"), "\(second.stderr)")
    }

    // MARK: http:URL

    @Test(
        "tollgate.scorer http:URL of MLServer's /v2/models/credit-lr scores over oip-v2 as the predictions artifact does",
        .enabled(if: hasMLServer, "TOLLGATE_TEST_MLSERVER_URL is not set: run scripts/test.sh, or eval \"$(scripts/serving.sh start)\" first"))
    func httpTagScoresThroughMLServer() throws {
        let server = try InferenceServers.mlserverURL()
        let model = try MLflowServer.copy(as: "http", of: MLflowServer.servedModel, versions: ["1", "2", "3", "4"])
        try MLflowServer.setTag(model, version: "2", "tollgate.scorer", "http:\(server)/v2/models/credit-lr")
        let file = try Self.fileTwin()
        let gate = try Gate(model: model)
        let live = try gate.run()
        Self.expectSame(live, as: file, "http: tag")
        let scoring = Self.scoring(live.1)
        #expect(scoring["protocol"] as? String == "oip-v2")
        #expect(scoring["endpoint"] as? String == "\(server)/v2/models/credit-lr/infer")
        #expect(scoring["cache_hit"] as? Bool == false)
        #expect(Self.scoring(try gate.run().1)["cache_hit"] as? Bool == true)

        // The same URL on another version of the registry is another cache entry: the key holds the version.
        try MLflowServer.setTag(model, version: "3", "tollgate.scorer", "http:\(server)/v2/models/credit-lr")
        let other = try Gate(model: model, candidates: "[\"3\"]", scratch: gate.scratch).run()
        #expect(Self.scoring(other.1)["cache_hit"] as? Bool == false, "\(other.0.stderr)")
        Self.expectSame(other, as: file, "http: tag on version 3")
    }

    @Test(
        "tollgate.scorer http:URL/invocations of a running mlflow models serve scores over the mlflow protocol",
        .enabled(
            if: !(environment["TOLLGATE_TEST_MLFLOW_SERVE_URL"] ?? "").isEmpty,
            "TOLLGATE_TEST_MLFLOW_SERVE_URL is not set: run scripts/test.sh, or eval \"$(scripts/serving.sh start)\" first"))
    func httpTagScoresThroughMLflowServe() throws {
        let server = try InferenceServers.mlflowServeURL()
        let model = try MLflowServer.copy(as: "invocations", of: MLflowServer.servedModel, versions: ["1", "2", "3", "4"])
        try MLflowServer.setTag(model, version: "2", "tollgate.scorer", "http:\(server)/invocations")
        let live = try Gate(model: model).run()
        Self.expectSame(live, as: try Self.fileTwin(), "http: …/invocations tag")
        #expect(Self.scoring(live.1)["protocol"] as? String == "mlflow")
        #expect(Self.scoring(live.1)["endpoint"] as? String == "\(server)/invocations")
    }

    @Test("a malformed http: tag exits 2 naming the tag, at the config line of the version")
    func malformedHTTPTag() throws {
        let model = try MLflowServer.copy(as: "bad-http", of: MLflowServer.servedModel, versions: ["1", "2"])
        // A password in the tag is refused, and not repeated.
        for (tag, shown) in [
            ("http:http://127.0.0.1:8080/v2/models", "http:http://127.0.0.1:8080/v2/models"),
            ("http:http://ann:pw-4711@127.0.0.1:8080", "http:http://127.0.0.1:8080"),
            ("http:http://127.0.0.1:8080/x?y=1", "http:http://127.0.0.1:8080/x?y=1")
        ] {
            try MLflowServer.setTag(model, version: "2", "tollgate.scorer", tag)
            let gate = try Gate(model: model)
            let (result, _) = try gate.run()
            #expect(result.exitCode == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("\(try gate.location(of: "candidates:"))"), "\(result.stderr)")
            #expect(result.stderr.contains("malformed tollgate.scorer tag '\(shown)' on version \(model)@2"), "\(result.stderr)")
            #expect(!result.stderr.contains("pw-4711"))
        }
    }
}
