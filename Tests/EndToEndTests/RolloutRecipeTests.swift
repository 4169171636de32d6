import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

/// `docs/rollouts.md` as written (issue #12): each shell line marked `recipe:` run by bash on
/// the bundled events, and the Argo and Flagger templates' URLs called on a running
/// `tollgate serve`. Argo Rollouts and Flagger are not run (they need Kubernetes); what they
/// make of an exit code or a status is their documented rule, stated beside each expectation.
@Suite(.serialized) struct RolloutRecipeTests {
    static let doc = Fixtures.root.appendingPathComponent("docs/rollouts.md").path

    /// The ```sh block after each "(`recipe: NAME`" in the document.
    static func recipes() throws -> [String: String] {
        let text = try String(contentsOfFile: doc, encoding: .utf8)
        var found: [String: String] = [:]
        for match in text.matches(of: /`recipe: ([a-z-]+)`[^\n]*\n+```sh\n([^\n]+)\n```/) {
            found[String(match.output.1)] = String(match.output.2)
        }
        return found
    }

    /// A folder with the example config and `events` as its events.jsonl.
    static func folder(_ events: String) throws -> ScratchDirectory {
        let scratch = try ScratchDirectory()
        _ = try scratch.write("canary.yml", try String(contentsOfFile: Fixtures.path("canary/canary.yml"), encoding: .utf8))
        _ = try scratch.write("events.jsonl", events)
        return scratch
    }

    static let healthy = { try! String(contentsOfFile: Fixtures.path("canary/events.jsonl"), encoding: .utf8) }()
    static let regressed = { try! String(contentsOfFile: Fixtures.path("canary/events-regressed.jsonl"), encoding: .utf8) }()
    /// 600 events, about 300 per arm, under min_samples 500: `continue`.
    static let early = healthy.split(separator: "\n").prefix(600).joined(separator: "\n") + "\n"

    static func bash(_ command: String, in scratch: ScratchDirectory) throws -> Int32 {
        let bin = URL(fileURLWithPath: Tool.executable).deletingLastPathComponent().path
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try Subprocess.run("/bin/bash", ["-c", command], in: scratch.url.path, environment: ["PATH": path, "HOME": scratch.url.path]).status
    }

    /// recipe → the bash exit status for a passing, failing and undecided canary. Zero is what
    /// the controller reads as success (Argo Job: Complete; flagger-loadtester: 200).
    static let expected: [(String, pass: Int32, fail: Int32, undecided: Int32)] = [
        ("ci", 0, 1, 3),
        ("argo-job", 0, 1, 3), // non-zero is JobFailed: an undecided look fails the measurement
        ("flagger-rollout", 0, 1, 0), // a failed check only on a decided fail
        ("flagger-confirm-promotion", 0, 1, 3), // promotion only on pass
        ("flagger-rollback", 1, 0, 1) // 2xx rolls back: only on fail
    ]

    @Test("every recipe in docs/rollouts.md is tested here")
    func everyRecipeIsCovered() throws {
        #expect(try Set(Self.recipes().keys) == Set(Self.expected.map(\.0)))
    }

    @Test("each shell recipe maps pass, fail and continue to the status its controller needs", arguments: expected.map(\.0))
    func shellRecipe(_ name: String) throws {
        let command = try #require(try Self.recipes()[name], "no recipe \(name) in docs/rollouts.md")
        let want = try #require(Self.expected.first { $0.0 == name })
        for (events, status, label) in [(Self.healthy, want.pass, "pass"), (Self.regressed, want.fail, "fail"), (Self.early, want.undecided, "continue")] {
            let scratch = try Self.folder(events)
            #expect(try Self.bash(command, in: scratch) == status, "\(name) on a \(label) canary: \(command)")
        }
    }

    @Test("the Job recipe turns an inconclusive horizon into a failure, not an error")
    func jobInconclusive() throws {
        let command = try #require(try Self.recipes()["argo-job"])
        let scratch = try Self.folder(Self.early)
        let config = try String(contentsOfFile: scratch.path("canary.yml"), encoding: .utf8).replacingOccurrences(
            of: "max_duration: 2h", with: "max_duration: 1s")
        _ = try scratch.write("canary.yml", config)
        #expect(try Self.bash(command, in: scratch) == 1)
        #expect(try Self.bash(command.replacingOccurrences(of: " --on-inconclusive fail", with: ""), in: scratch) == 3)
    }

    /// The web template's URL, jsonPath and conditions, and the Flagger URLs, on a live server.
    @Test("the Argo web template and the Flagger webhooks get what their rules need from tollgate serve")
    func templatesAgainstServe() throws {
        let text = try String(contentsOfFile: Self.doc, encoding: .utf8)
        let webURL = try #require(text.firstMatch(of: /url: (http:\/\/tollgate\.canary\.svc:8080\/v1\/analyses\/[a-z-]+)/)?.1)
        #expect(text.contains(#"jsonPath: "{$.verdict}""#))
        #expect(text.contains(#"successCondition: result == "pass""#) && text.contains(#"failureCondition: result == "fail""#))
        #expect(text.contains("backoffLimit: 0"))
        let hooks = text.matches(of: /type: ([a-z-]+)[^\n]*\n\s+url: http:\/\/tollgate\.canary\.svc:8080(\/flagger\/[a-z-]+)/).map {
            (String($0.output.1), String($0.output.2))
        }
        #expect(hooks.map(\.0) == ["rollout", "confirm-promotion", "rollback"])
        #expect(hooks.allSatisfy { $0.1 == "/flagger/" + $0.0 })

        let scratch = try Self.folder(Self.healthy)
        let (server, base) = try ServeTests.serve(["--config", scratch.path("canary.yml")], in: scratch)
        defer { server.stop() }
        let client = HTTPClient(maxConnections: 1)
        let url = try #require(URL(string: webURL.replacingOccurrences(of: "http://tollgate.canary.svc:8080", with: base)))
        let response = try client.send(HTTPRequest(url: url)).get()
        #expect(response.status == 200, "a non-2xx would be an Argo Error measurement")
        let result = (try JSONValue.parse(response.body) as? [String: Any])?["verdict"] as? String
        #expect(result == "pass", "{$.verdict} is the condition's result")
        for (hook, path) in hooks {
            let reply = try client.send(HTTPRequest(method: "POST", url: try #require(URL(string: base + path)), body: Data("{}".utf8))).get()
            #expect(reply.status == (hook == "rollback" ? 500 : 200), "\(hook) on a passing canary")
        }
    }
}
