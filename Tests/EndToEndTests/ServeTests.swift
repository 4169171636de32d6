import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `tollgate serve` over a real socket (issue #12): the HTTP contract Argo Rollouts' web metric
/// provider and Flagger's webhooks depend on, against the binary on a free port of 127.0.0.1.
@Suite(.serialized) struct ServeTests {
    static let config = Fixtures.path("canary/canary.yml")
    let client = HTTPClient(maxConnections: 2)

    func call(_ method: String, _ url: String) throws -> (status: Int, json: [String: Any]) {
        let response = try client.send(
            HTTPRequest(method: method, url: try #require(URL(string: url)), body: method == "POST" ? Data("{}".utf8) : nil, timeout: 30)
        ).get()
        let json = try #require(try JSONValue.parse(response.body) as? [String: Any], "\(String(decoding: response.body, as: UTF8.self))")
        return (response.status, json)
    }

    /// Starts `tollgate serve --port 0` and returns it with its base URL, read from its first line.
    static func serve(_ arguments: [String], in scratch: ScratchDirectory) throws -> (BackgroundTool, String) {
        let server = try BackgroundTool.start(["serve", "--port", "0"] + arguments, logPath: scratch.path("serve.log"))
        do {
            let line = try server.waitForLine(containing: "listening on ")
            let url = try #require(line.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/)?.1)
            return (server, String(url))
        } catch {
            server.stop()
            throw error
        }
    }

    /// Each GET is one look at the events appended since the last: the same verdicts and
    /// numbers as `tollgate canary --state` at the same moments, always with status 200.
    @Test func eachArgoCallIsALookThatReadsNewEventsAndAlwaysAnswers200() throws {
        let scratch = try ScratchDirectory()
        let events = scratch.path("events.jsonl")
        try Data().write(to: URL(fileURLWithPath: events))
        let (server, url) = try Self.serve(["--config", Self.config, "--events", events, "--state", scratch.path("served.json")], in: scratch)
        defer { server.stop() }
        let logOnFailure = server.logPath
        #expect(try call("GET", url + "/healthz").status == 200)

        let lines = try String(contentsOfFile: Fixtures.path("canary/events-regressed.jsonl"), encoding: .utf8).split(separator: "\n").map { $0 + "\n" }
        let chunks = [0, 1000, 4000, lines.count]
        var verdicts: [String] = []
        for look in 0..<4 {
            if look > 0 { try CanaryRecordTests.append(lines[chunks[look - 1]..<chunks[look]].joined(), to: events) }
            let (status, json) = try call("GET", url + "/v1/analyses/credit-risk")
            #expect(status == 200, "\(json) (log: \(logOnFailure))")
            #expect(json["looks"] as? Int == look + 1)
            let cli = try Tool.run([
                "canary", "--config", Self.config, "--events", events, "--state", scratch.path("cli.json"), "--json", scratch.path("cli-verdict.json")
            ])
            let expected = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: scratch.path("cli-verdict.json")))) as? [String: Any])
            #expect(json["verdict"] as? String == expected["verdict"] as? String, "look \(look + 1); cli exit \(cli.exitCode)")
            let served = try #require(json["checks"] as? [[String: Any]])
            let offline = try #require(expected["checks"] as? [[String: Any]])
            #expect(served.map { $0["n_canary"] as? Int } == offline.map { $0["n_canary"] as? Int })
            #expect(served.map { $0["interval"] as? [Double] } == offline.map { $0["interval"] as? [Double] })
            verdicts.append(json["verdict"] as? String ?? "?")
        }
        #expect(verdicts.first == "continue" && verdicts.last == "fail", "\(verdicts)")

        // A decided fail: Flagger's rollout hook fails its check, rollback answers 2xx (roll
        // back), promotion is not confirmed; notifications take no look.
        #expect(try call("POST", url + "/flagger/rollout").status == 500)
        #expect(try call("POST", url + "/flagger/rollback").status == 200)
        #expect(try call("POST", url + "/flagger/confirm-promotion").status == 500)
        let event = try call("POST", url + "/flagger/event")
        #expect(event.status == 200 && event.json["looked"] as? Bool == false)
        #expect(try call("GET", url + "/v1/analyses/credit-risk").json["looks"] as? Int == 8, "three hooks looked, the event did not")

        // What a controller must hear as an error, not as a verdict.
        #expect(try call("GET", url + "/v1/analyses/other-model").status == 404)
        #expect(try call("POST", url + "/v1/analyses/credit-risk").status == 405)
        #expect(try call("POST", url + "/flagger/promote-now").status == 404)
        try CanaryRecordTests.append("{\"arm\": \"canary\", \"ts\": \"yesterday\"}\n", to: events)
        let broken = try call("GET", url + "/v1/analyses/credit-risk")
        #expect(broken.status == 500 && (broken.json["error"] as? String ?? "").contains("events.jsonl:\(lines.count + 1)"), "\(broken.json)")
        #expect(try call("POST", url + "/flagger/rollout").status == 500)
        #expect(server.exited() == nil, "the server keeps serving after a bad line")
        // The state on disk is the last computed look's.
        let state = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: scratch.path("served.json")))) as? [String: Any])
        #expect(state["looks"] as? Int == 8)
    }

    /// The healthy example: promotion confirmed, the rollout hook passes, rollback declines.
    /// A restart continues from the state file.
    @Test func aPassingCanaryConfirmsPromotionAndARestartContinuesTheTest() throws {
        let scratch = try ScratchDirectory()
        let state = scratch.path("state.json")
        let arguments = ["--config", Self.config, "--state", state]
        do {
            let (server, url) = try Self.serve(arguments, in: scratch)
            defer { server.stop() }
            let promotion = try call("POST", url + "/flagger/confirm-promotion")
            #expect(promotion.status == 200 && promotion.json["verdict"] as? String == "pass", "\(promotion.json)")
            #expect(try call("POST", url + "/flagger/rollout").status == 200)
            #expect(try call("POST", url + "/flagger/rollback").status == 500)
        }
        let (server, url) = try Self.serve(arguments, in: scratch)
        defer { server.stop() }
        let next = try call("GET", url + "/v1/analyses/credit-risk")
        #expect(next.json["looks"] as? Int == 4 && next.json["verdict"] as? String == "pass", "\(next.json)")
        #expect((next.json["checks"] as? [[String: Any]])?.first?["n_canary"] as? Int == 8000, "no event counted twice across the restart")
    }

    /// With --history every served look is recorded, as `tollgate canary --history` records
    /// it: one analysis across looks and restarts. A look the history refuses answers 500 and
    /// leaves the state where it was, so the next look reads the same events again.
    @Test func servedLooksAreRecordedAndARefusedRecordLeavesTheStateAsItWas() throws {
        let scratch = try ScratchDirectory()
        let events = scratch.path("events.jsonl")
        let store = scratch.path("history.sqlite")
        let quarters = try CanaryRecordTests.quarters()
        let arguments = ["--config", Self.config, "--events", events, "--state", scratch.path("state.json"), "--history", store]
        try CanaryRecordTests.append(quarters[0], to: events)
        do {
            let (server, url) = try Self.serve(arguments, in: scratch)
            defer { server.stop() }
            #expect(try call("GET", url + "/v1/analyses/credit-risk").json["looks"] as? Int == 1)
            let database = try SQLiteDatabase(path: store)
            try database.write { (db: any SQLConnection) throws(TollgateError) in
                try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON tollgate_events BEGIN SELECT RAISE(ABORT, 'disk full'); END", [])
            }
            database.close()
            try CanaryRecordTests.append(quarters[1], to: events)
            let refused = try call("GET", url + "/v1/analyses/credit-risk")
            #expect(refused.status == 500 && (refused.json["error"] as? String ?? "").contains("disk full"), "\(refused.json)")
            let reopened = try SQLiteDatabase(path: store)
            try reopened.write { (db: any SQLConnection) throws(TollgateError) in try db.execute("DROP TRIGGER refuse", []) }
            reopened.close()
            let second = try call("GET", url + "/v1/analyses/credit-risk")
            #expect(second.json["looks"] as? Int == 2, "the refused look did not count: \(second.json)")
        }
        try CanaryRecordTests.append(quarters[2] + quarters[3], to: events)
        let (server, url) = try Self.serve(arguments, in: scratch)
        defer { server.stop() }
        #expect(try call("GET", url + "/v1/analyses/credit-risk").json["verdict"] as? String == "fail")
        let looks = try CanaryRecordTests.exported(store).filter { $0["kind"] as? String == "canary_analysis" }
        #expect(looks.compactMap { $0["look"] as? Int } == [1, 2, 3])
        #expect(Set(looks.compactMap { $0["analysis"] as? String }).count == 1, "one analysis across the restart")
        let read = looks.map { ($0["baseline_events"] as? Int ?? 0) + ($0["canary_events"] as? Int ?? 0) }
        let sizes = quarters.map { $0.split(separator: "\n").count }
        #expect(read == [sizes[0], sizes[1], sizes[2] + sizes[3]], "every event recorded once, the refused look's in the next")

        let unreachable = try Tool.run(["serve", "--config", Self.config, "--history", "postgres://u@127.0.0.1:1/none", "--port", "0"])
        #expect(
            unreachable.exitCode == 2 && unreachable.stderr.contains("--history: cannot reach the history at postgres none at 127.0.0.1:1"),
            "a history that cannot be opened stops the start: \(unreachable.stderr)")
    }

    @Test func badArgumentsExitTwoWithoutListening() throws {
        let scratch = try ScratchDirectory()
        let port = try Tool.run(["serve", "--config", Self.config, "--port", "70000"])
        #expect(port.exitCode == 2 && port.stderr.contains("expected a port in 0...65535"), "\(port.stderr)")
        let stdin = try Tool.run(["serve", "--config", Self.config, "--events", "-", "--port", "0"])
        #expect(stdin.exitCode == 2 && stdin.stderr.contains("stdin"), "\(stdin.stderr)")
        _ = try scratch.write("state.json", "{\"version\": 1}")
        let state = try Tool.run(["serve", "--config", Self.config, "--state", scratch.path("state.json"), "--port", "0"])
        #expect(state.exitCode == 2, "\(state.stderr)")
    }
}
