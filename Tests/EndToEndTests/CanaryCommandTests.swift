import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

/// `tollgate canary` run as CI or a rollout controller runs it: exit codes, the JSON verdict,
/// and a test that continues across processes through `--state`.
@Suite struct CanaryCommandTests {
    static let config = Fixtures.path("canary/canary.yml")

    func verdict(_ path: String) throws -> [String: Any] {
        try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func theHealthyExampleCanaryIsPromoted() throws {
        let scratch = try ScratchDirectory()
        let result = try Tool.run(["canary", "--config", Self.config, "--json", scratch.path("verdict.json")])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let json = try verdict(scratch.path("verdict.json"))
        #expect(json["verdict"] as? String == "pass")
        #expect(json["looks"] as? Int == 1)
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.map { $0["outcome"] as? String } == ["pass", "pass", "pass"])
        #expect(checks.allSatisfy { $0["n_baseline"] as? Int == 8000 && $0["n_canary"] as? Int == 8000 })
        #expect((checks[0]["interval"] as? [Double])?.count == 2)
    }

    @Test func theRegressedExampleIsRolledBack() throws {
        let result = try Tool.run(["canary", "--config", Self.config, "--events", Fixtures.path("canary/events-regressed.jsonl")])
        #expect(result.exitCode == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("fail         error_rate <= baseline + 0.01"))
    }

    /// Four processes, each reading the lines appended since the last: the same numbers as four
    /// looks in one process, and the same verdict as one look over everything.
    @Test func aStateFileContinuesTheTestAcrossProcesses() throws {
        let scratch = try ScratchDirectory()
        let lines = try String(contentsOfFile: Fixtures.path("canary/events-regressed.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { $0 + "\n" }
        let chunks = stride(from: 0, to: lines.count, by: lines.count / 4).map { lines[$0..<min($0 + lines.count / 4, lines.count)].joined() }
        #expect(chunks.count == 4)
        let events = scratch.path("events.jsonl")
        let state = scratch.path("state.json")
        try Data().write(to: URL(fileURLWithPath: events))

        let config = try CanaryConfig.load(path: Self.config)
        var inProcess = CanaryState(for: config)
        var expected: CanaryVerdict?
        var last: [String: Any] = [:]
        for (index, chunk) in chunks.enumerated() {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(chunk.utf8))
            try handle.close()
            let result = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state, "--json", scratch.path("look.json")])
            #expect(result.stdout.contains("after look \(index + 1) (\(chunk.filter { $0 == "\n" }.count) new events)"), "\(result.stdout)\(result.stderr)")
            let parsed = try CanaryEventReader.read(data: Data(chunk.utf8), file: events)
            expected = try CanaryAnalysis.look(config: config, events: parsed.events, state: &inProcess)
            last = try verdict(scratch.path("look.json"))
            #expect(Int32(last["exit_code"] as? Int ?? -1) == result.exitCode)
            #expect(last["verdict"] as? String == expected?.verdict.rawValue)
        }
        let checks = try #require(last["checks"] as? [[String: Any]])
        for (json, check) in zip(checks, try #require(expected).checks) {
            let interval = try #require(json["interval"] as? [Double])
            #expect(interval[0] == check.look.lower && interval[1] == check.look.upper, "the running intersection survives the state file exactly")
            #expect(json["n_canary"] as? Int == check.look.canaryCount)
        }
        #expect(last["looks"] as? Int == 4)
        let once = try Tool.run(["canary", "--config", Self.config, "--events", events])
        #expect(last["verdict"] as? String == "fail")
        #expect(once.exitCode == 1, "one look over everything gives the same verdict")

        let stateText = try String(contentsOfFile: state, encoding: .utf8)
        #expect(stateText.contains("\"version\" : 1") && stateText.contains("\"config_sha256\""))
        let again = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state])
        #expect(again.stdout.contains("after look 5 (0 new events)"))
    }

    @Test func theSameFileSpelledDifferentlyIsNotReadTwice() throws {
        let scratch = try ScratchDirectory()
        let state = scratch.path("state.json")
        _ = try Tool.run(["canary", "--config", Self.config, "--state", state])
        let again = try Tool.run(
            ["canary", "--config", "canary.yml", "--events", "./events.jsonl", "--state", state],
            in: Fixtures.path("canary"))
        #expect(again.stdout.contains("after look 2 (0 new events)"), "\(again.stdout)\(again.stderr)")
    }

    @Test func aStateFromAnotherConfigIsRefused() throws {
        let scratch = try ScratchDirectory()
        let state = scratch.path("state.json")
        _ = try Tool.run(["canary", "--config", Self.config, "--state", state])
        let other = try String(contentsOfFile: Self.config, encoding: .utf8).replacingOccurrences(of: "alpha: 0.05", with: "alpha: 0.10")
        let otherConfig = try scratch.write("canary.yml", other)
        let result = try Tool.run(["canary", "--config", otherConfig, "--events", Fixtures.path("canary/events.jsonl"), "--state", state])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("different canary config"))
    }

    @Test func aCorruptStateIsAnErrorNotAFreshStart() throws {
        let scratch = try ScratchDirectory()
        let state = try scratch.write("state.json", "{\"version\": 1, \"looks\": ")
        let result = try Tool.run(["canary", "--config", Self.config, "--state", state])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot read the canary state"))
        let future = try scratch.write("future.json", "{\"version\": 2}")
        #expect(try Tool.run(["canary", "--config", Self.config, "--state", future]).exitCode == 2)
    }

    @Test func stdinEventsWithAStateAreRefused() throws {
        let scratch = try ScratchDirectory()
        let result = try Tool.run(["canary", "--config", Self.config, "--events", "-", "--state", scratch.path("state.json")])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--events - cannot be combined with --state"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("state.json")))
    }

    @Test func tooFewEventsContinueAndOnlyTheHorizonCanBeMadeAFail() throws {
        let scratch = try ScratchDirectory()
        let lines = try String(contentsOfFile: Fixtures.path("canary/events.jsonl"), encoding: .utf8).split(separator: "\n").prefix(600)
        let events = try scratch.write("few.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Tool.run(["canary", "--config", Self.config, "--events", events, "--json", scratch.path("v.json")])
        #expect(result.exitCode == 3)
        #expect(try verdict(scratch.path("v.json"))["verdict"] as? String == "continue")
        let flagged = try Tool.run(["canary", "--config", Self.config, "--events", events, "--on-inconclusive", "fail", "--json", scratch.path("f.json")])
        #expect(flagged.exitCode == 3, "waiting for min_samples is 'look again', not 'roll back'")
        #expect(try verdict(scratch.path("f.json"))["exit_code"] as? Int == 3)
        let onlyBaseline = try scratch.write("baseline.jsonl", lines.filter { $0.contains("\"baseline\"") }.joined(separator: "\n") + "\n")
        #expect(try Tool.run(["canary", "--config", Self.config, "--events", onlyBaseline]).exitCode == 3, "one arm missing is never a pass")
        // The same events past a 10 s horizon: inconclusive, which the flag maps to 1, in the JSON too.
        let config = try String(contentsOfFile: Self.config, encoding: .utf8).replacingOccurrences(of: "max_duration: 2h", with: "max_duration: 10s")
        let horizon = try scratch.write("horizon.yml", config)
        let atHorizon = try Tool.run(["canary", "--config", horizon, "--events", events, "--json", scratch.path("h.json")])
        #expect(atHorizon.exitCode == 3)
        #expect(try verdict(scratch.path("h.json"))["verdict"] as? String == "inconclusive")
        let failed = try Tool.run(["canary", "--config", horizon, "--events", events, "--on-inconclusive", "fail", "--json", scratch.path("hf.json")])
        #expect(failed.exitCode == 1)
        #expect(try verdict(scratch.path("hf.json"))["exit_code"] as? Int == 1)
    }

    @Test func eventsFromStdinAreRead() throws {
        let scratch = try ScratchDirectory()
        let script = try scratch.write("run.sh", "exec \"$1\" canary --config \"$2\" --events - < \"$3\"\n")
        let result = try Subprocess.run("/bin/sh", [script, Tool.executable, Self.config, Fixtures.path("canary/events.jsonl")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("(16000 new events)"))
    }

    @Test(arguments: [
        ("{\"arm\": \"canary\", \"ts\": 1, \"status\": 200}\n{\"arm\": \"green\", \"ts\": 1}\n", "bad.jsonl:2:9: unknown arm 'green'"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"latency_ms\": NaN}\n", "bad.jsonl:1:42: malformed JSON: expected a value"),
        ("{\"arm\": \"canary\", \"ts\": \"monday\"}\n", "bad.jsonl:1:25: 'ts' is not an RFC 3339 time")
    ])
    func malformedEventsAreErrorsWithTheirLineAndColumn(_ text: String, _ message: String) throws {
        let scratch = try ScratchDirectory()
        let events = try scratch.write("bad.jsonl", text)
        let result = try Tool.run(["canary", "--config", Self.config, "--events", events])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func helpDocumentsTheExitCodesAndUsageErrorsExitTwo() throws {
        let help = try Tool.run(["canary", "--help"])
        #expect(help.exitCode == 0)
        for line in ["0  pass", "1  fail", "2  error", "3  continue: not enough evidence yet"] { #expect(help.stdout.contains(line), "\(line)") }
        #expect(try Tool.run(["canary", "--config", Self.config, "--on-inconclusive", "maybe"]).exitCode == 2)
    }

    @Test func aMissingSourceIsAnError() throws {
        let result = try Tool.run(["canary", "--config", Self.config, "--events", "/nonexistent/events.jsonl"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("/nonexistent/events.jsonl"))
    }
}

/// Shadow mode end to end: pairs by request_id, reports leftovers, and keeps them across looks.
@Suite struct CanaryShadowCommandTests {
    static let config = Fixtures.path("canary/shadow.yml")

    @Test func theShadowExampleIsPairedAndItsLeftoversCounted() throws {
        let scratch = try ScratchDirectory()
        let result = try Tool.run(["canary", "--config", Self.config, "--json", scratch.path("v.json")])
        #expect(result.exitCode == 3, "\(result.stdout)\(result.stderr)")
        let json = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: scratch.path("v.json")))) as? [String: Any])
        let unpaired = try #require(json["unpaired"] as? [String: Any])
        #expect(unpaired["canary"] as? Int == 3 && unpaired["baseline"] as? Int == 0)
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["n_canary"] as? Int == 4997 && $0["n_baseline"] as? Int == 4997 })
        #expect(checks[2]["outcome"] as? String == "pass", "the canary answers the same requests about 2% faster")
    }

    @Test func leftoversWaitInTheStateForTheirPair() throws {
        let scratch = try ScratchDirectory()
        let lines = try String(contentsOfFile: Fixtures.path("canary/events-shadow.jsonl"), encoding: .utf8).split(separator: "\n")
        // Cut between the two arms of one request: its canary answer arrives in the second look.
        let cut = try #require(lines.firstIndex { $0.contains("\"request_id\":\"q2500\"") }) + 1
        let events = try scratch.write("events.jsonl", lines[..<cut].joined(separator: "\n") + "\n")
        let state = scratch.path("state.json")
        _ = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state])
        #expect(try String(contentsOfFile: state, encoding: .utf8).contains("\"q2500\""))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines[cut...].joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let second = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state, "--json", scratch.path("v.json")])
        let once = try Tool.run(["canary", "--config", Self.config, "--json", scratch.path("once.json")])
        let json = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: scratch.path("v.json")))) as? [String: Any])
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["n_canary"] as? Int == 4997 }, "every pair is counted once across the two looks")
        #expect(second.exitCode == once.exitCode)
    }
}
