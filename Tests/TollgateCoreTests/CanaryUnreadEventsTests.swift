import Foundation
import Testing

@testable import TollgateCore

/// Each look counts only what no earlier look counted, and a line still being written waits.
@Suite struct CanaryUnreadEventsTests {
    let config = try! CanaryConfig.parse(
        "model: m\nmode: canary\nchecks:\n  - error_rate <= baseline + 0.01\n", file: "canary.yml",
        baseDirectory: URL(fileURLWithPath: "/"), sha256: "abc")

    func line(_ arm: String, _ ts: Int) -> String { #"{"arm": "\#(arm)", "ts": \#(ts), "latency_ms": 10, "status": 200}"# + "\n" }

    @Test func aSecondLookReadsOnlyWhatWasAppended() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("events.jsonl")
        try (line("baseline", 1) + line("canary", 2) + #"{"arm": "canary""#).write(to: file, atomically: true, encoding: .utf8)
        var state = CanaryState(for: config)

        let first = try CanaryEventReader.unread(from: folder.path, state: &state, resumable: true)
        #expect(first.map(\.time) == [1, 2], "the unfinished third line waits for the next look")

        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((#", "ts": 3, "latency_ms": 10, "status": 200}"# + "\n" + line("baseline", 4)).utf8))
        try handle.close()
        let second = try CanaryEventReader.unread(from: folder.path, state: &state, resumable: true)
        #expect(second.map(\.time) == [3, 4])
        #expect(try CanaryEventReader.unread(from: folder.path, state: &state, resumable: true).isEmpty)
    }

    @Test func withoutAStateTheLastLineIsReadAsComplete() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("unread-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try (line("baseline", 1) + line("canary", 2).dropLast()).write(to: file, atomically: true, encoding: .utf8)
        var state = CanaryState(for: config)
        #expect(try CanaryEventReader.unread(from: file.path, state: &state, resumable: false).map(\.time) == [1, 2])
    }
}
