import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

/// `source: {prometheus: ...}`: the same canary traffic judged from its event log and from the
/// counters a real Prometheus (Debian's, on 127.0.0.1) scraped from an exporter of that traffic
/// (`fixtures/canary/exporter.py`), over Prometheus's HTTP API.
@Suite(.serialized) struct CanaryPrometheusTests {
    static let prometheus = ProcessInfo.processInfo.environment["TOLLGATE_TEST_PROMETHEUS"]

    /// An exporter serving the first `count` events of `events`, and a Prometheus scraping it every second.
    final class Rig {
        let scratch: ScratchDirectory
        let exporter: BackgroundTool
        let server: BackgroundTool
        let url: String
        let countFile: String

        init(events: String) throws {
            guard let binary = CanaryPrometheusTests.prometheus else {
                throw SupportError(message: "TOLLGATE_TEST_PROMETHEUS is not set: run the tests with scripts/test.sh (it installs Debian's prometheus)")
            }
            scratch = try ScratchDirectory()
            countFile = try scratch.write("count", "0")
            exporter = try BackgroundTool.start(
                ["python3", Fixtures.path("canary/exporter.py"), events, countFile], logPath: scratch.path("exporter.log"), executable: "/usr/bin/env")
            let exporterPort = try exporter.waitForLine(containing: "port ", timeout: 30).dropFirst("port ".count)
            let port = try LoopbackPort.free()
            let config = try scratch.write(
                "prometheus.yml",
                """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: canary
                    static_configs: [{targets: ["127.0.0.1:\(exporterPort)"]}]

                """)
            server = try BackgroundTool.start(
                [
                    "--config.file=\(config)", "--storage.tsdb.path=\(scratch.path("tsdb"))", "--web.listen-address=127.0.0.1:\(port)",
                    "--log.level=warn"
                ], logPath: scratch.path("prometheus.log"), executable: binary)
            url = "http://127.0.0.1:\(port)"
        }

        deinit {
            server.stop()
            exporter.stop()
        }

        /// Shows the exporter's first `count` events and waits until Prometheus has scraped them.
        func advance(to count: Int) throws {
            try "\(count)".write(toFile: countFile, atomically: true, encoding: .utf8)
            let query = "sum(model_requests_total)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let deadline = Date().addingTimeInterval(90)
            while Date() < deadline {
                if let data = try? Data(contentsOf: URL(string: "\(url)/api/v1/query?query=\(query)")!),
                    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let result = (json["data"] as? [String: Any])?["result"] as? [[String: Any]],
                    let value = (result.first?["value"] as? [Any])?.last as? String, Double(value) == Double(count)
                {
                    return
                }
                usleep(200_000)
            }
            throw SupportError(message: "Prometheus did not scrape \(count) requests within 90 s; its log:\n\(server.log)")
        }
    }

    static let checks = ["error_rate <= baseline + 0.01", "mean_ms <= baseline * 1.05"]

    /// A canary config over `source`, with the fixture's statistics.
    static func config(in scratch: ScratchDirectory, name: String, source: String, checks: [String] = checks) throws -> String {
        try scratch.write(
            name,
            """
            model: credit-risk
            source:
            \(source)
            checks:
            \(checks.map { "  - \($0)" }.joined(separator: "\n"))
            statistics: {alpha: 0.05, min_samples: 500, max_samples: 200000}

            """)
    }

    static func prometheusSource(_ url: String, requests: String = #"sum(model_requests_total{arm="{{arm}}"})"#) -> String {
        """
          prometheus:
            url: \(url)
            queries:
              requests: '\(requests)'
              errors: 'sum(model_errors_total{arm="{{arm}}"})'
              latency_buckets: 'sum by (le) (model_request_duration_seconds_bucket{arm="{{arm}}"})'
        """
    }

    static func verdict(_ arguments: [String], json: String) throws -> (ToolResult, [String: Any]) {
        let result = try Tool.run(["canary"] + arguments + ["--json", json])
        let parsed = (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        return (result, parsed)
    }

    static func checkResults(_ verdict: [String: Any]) -> [[String: Any]] { verdict["checks"] as? [[String: Any]] ?? [] }

    @Test(
        "the verdict from Prometheus's counters is the verdict from the same traffic's events, passing and failing",
        .enabled(if: prometheus != nil, "needs TOLLGATE_TEST_PROMETHEUS (set by scripts/test.sh)"),
        arguments: ["events.jsonl", "events-regressed.jsonl"])
    func agreesWithTheEvents(events: String) throws {
        let path = Fixtures.path("canary/\(events)")
        let count = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
        let rig = try Rig(events: path)
        try rig.advance(to: count)
        let fromEvents = try Self.verdict(
            ["--config", try Self.config(in: rig.scratch, name: "events.yml", source: "  events: \(path)")], json: rig.scratch.path("events.json"))
        let fromCounters = try Self.verdict(
            ["--config", try Self.config(in: rig.scratch, name: "prometheus.yml.canary", source: Self.prometheusSource(rig.url))],
            json: rig.scratch.path("prometheus.json"))
        #expect(fromCounters.0.exitCode == fromEvents.0.exitCode, "\(fromCounters.0.stdout)\(fromCounters.0.stderr)\n---\n\(fromEvents.0.stdout)")
        #expect(fromCounters.1["verdict"] as? String == fromEvents.1["verdict"] as? String)
        #expect(fromEvents.1["verdict"] as? String == (events == "events.jsonl" ? "pass" : "fail"))
        for (counted, logged) in zip(Self.checkResults(fromCounters.1), Self.checkResults(fromEvents.1)) {
            #expect(
                counted["n_baseline"] as? Int == logged["n_baseline"] as? Int && counted["n_canary"] as? Int == logged["n_canary"] as? Int,
                "\(fromCounters.0.stdout)")
            #expect(counted["outcome"] as? String == logged["outcome"] as? String, "\(counted) / \(logged)")
        }
        // Error counts are exact, so the error-rate test is the same test.
        let counted = Self.checkResults(fromCounters.1)[0]["estimate"] as? Double ?? .nan
        let logged = Self.checkResults(fromEvents.1)[0]["estimate"] as? Double ?? .nan
        #expect(abs(counted - logged) < 1e-12)
    }

    @Test(
        "with --state each look reads only the counters' increase since the last",
        .enabled(if: prometheus != nil, "needs TOLLGATE_TEST_PROMETHEUS (set by scripts/test.sh)"))
    func looksReadTheIncrease() throws {
        let path = Fixtures.path("canary/events.jsonl")
        let rig = try Rig(events: path)
        let config = try Self.config(in: rig.scratch, name: "canary.yml", source: Self.prometheusSource(rig.url))
        let state = rig.scratch.path("state.json")
        try rig.advance(to: 6000)
        let first = try Self.verdict(["--config", config, "--state", state], json: rig.scratch.path("1.json"))
        try rig.advance(to: 16000)
        let second = try Self.verdict(["--config", config, "--state", state], json: rig.scratch.path("2.json"))
        #expect(first.1["looks"] as? Int == 1 && second.1["looks"] as? Int == 2, "\(first.0.stderr)\(second.0.stderr)")
        let firstCounts = Self.checkResults(first.1).map { ($0["n_baseline"] as? Int ?? -1) + ($0["n_canary"] as? Int ?? -1) }
        let secondCounts = Self.checkResults(second.1).map { ($0["n_baseline"] as? Int ?? -1) + ($0["n_canary"] as? Int ?? -1) }
        #expect(firstCounts == [6000, 6000])
        #expect(secondCounts == [16000, 16000])
    }

    @Test(
        "a served analysis reads Prometheus at every look, as the command does",
        .enabled(if: prometheus != nil, "needs TOLLGATE_TEST_PROMETHEUS (set by scripts/test.sh)"))
    func aServedAnalysisReadsPrometheus() throws {
        let path = Fixtures.path("canary/events-regressed.jsonl")
        let count = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
        let rig = try Rig(events: path)
        let config = try Self.config(in: rig.scratch, name: "canary.yml", source: Self.prometheusSource(rig.url))
        let (server, url) = try ServeTests.serve(["--config", config, "--state", rig.scratch.path("state.json")], in: rig.scratch)
        defer { server.stop() }
        let client = HTTPClient(maxConnections: 1)
        func look() throws -> [String: Any] {
            let response = try client.send(HTTPRequest(url: try #require(URL(string: url + "/v1/analyses/credit-risk")), timeout: 60)).get()
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self)) (log: \(server.logPath))")
            return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        }
        try rig.advance(to: 2000)
        let first = try look()
        #expect(Self.checkResults(first).map { ($0["n_baseline"] as? Int ?? -1) + ($0["n_canary"] as? Int ?? -1) } == [2000, 2000])
        try rig.advance(to: count)
        let second = try look()
        let fromEvents = try Self.verdict(
            ["--config", try Self.config(in: rig.scratch, name: "events.yml", source: "  events: \(path)")], json: rig.scratch.path("events.json"))
        #expect(second["looks"] as? Int == 2)
        #expect(second["verdict"] as? String == "fail" && fromEvents.1["verdict"] as? String == "fail", "\(second)")
        #expect(
            Self.checkResults(second).map { $0["n_canary"] as? Int } == Self.checkResults(fromEvents.1).map { $0["n_canary"] as? Int },
            "the second look read only the increase, and together the looks read every request once")
    }

    @Test(
        "an unreachable Prometheus, a query it refuses and a check counters cannot answer each exit 2",
        .enabled(if: prometheus != nil, "needs TOLLGATE_TEST_PROMETHEUS (set by scripts/test.sh)"))
    func failuresExitTwo() throws {
        let rig = try Rig(events: Fixtures.path("canary/events.jsonl"))
        try rig.advance(to: 100)
        let closed = try LoopbackPort.free()
        let unreachable = try Self.verdict(
            ["--config", try Self.config(in: rig.scratch, name: "a.yml", source: Self.prometheusSource("http://127.0.0.1:\(closed)"))],
            json: rig.scratch.path("a.json"))
        #expect(unreachable.0.exitCode == 2)
        #expect(unreachable.0.stderr.contains("a.yml:4:5: Prometheus at http://127.0.0.1:\(closed) did not answer the query"), "\(unreachable.0.stderr)")

        let refused = try Self.verdict(
            [
                "--config",
                try Self.config(in: rig.scratch, name: "b.yml", source: Self.prometheusSource(rig.url, requests: #"sum(model_requests_total{arm="{{arm}}"}"#))
            ],
            json: rig.scratch.path("b.json"))
        #expect(refused.0.exitCode == 2)
        #expect(refused.0.stderr.contains("Prometheus refused the query 'sum(model_requests_total{arm=\"baseline\"}'"), "\(refused.0.stderr)")
        #expect(refused.0.stderr.contains("bad_data"), "\(refused.0.stderr)")

        let perRequest = try Self.verdict(
            [
                "--config",
                try Self.config(
                    in: rig.scratch, name: "c.yml", source: Self.prometheusSource(rig.url), checks: ["error_rate <= baseline + 0.01", "p99_ms <= baseline"])
            ], json: rig.scratch.path("c.json"))
        #expect(perRequest.0.exitCode == 2)
        #expect(perRequest.0.stderr.contains("c.yml:11:5: 'p99_ms <= baseline' needs per-request events"), "\(perRequest.0.stderr)")
    }
}
