import Foundation
import Testing

@testable import TollgateCore

/// JSON Lines events: understood exactly, or refused with file:line.
@Suite struct CanaryEventReaderTests {
    func read(_ text: String, from position: CanaryEventReader.Position = .init()) throws(TollgateError) -> (
        events: [CanaryEvent], end: CanaryEventReader.Position
    ) {
        try CanaryEventReader.read(data: Data(text.utf8), file: "events.jsonl", from: position)
    }

    @Test func aFullEventIsReadFieldByField() throws {
        let line =
            #"{"arm": "canary", "ts": "2026-03-01T09:30:00.25Z", "request_id": "r1", "latency_ms": 12.5, "status": 503, "score": 0.73, "prediction": 1, "label": 1.0, "converted": true}"#
            + "\n"
        let event = try #require(try read(line).events.first)
        #expect(event.arm == .canary)
        #expect(event.time == 1_772_357_400.25)
        #expect(event.requestId == "r1" && event.latencyMs == 12.5 && event.isError == true)
        #expect(event.prediction == "1" && event.label == "1", "1 and 1.0 are the same class")
        #expect(event.fields["score"] == 0.73 && event.fields["converted"] == 1)
    }

    @Test func statusReadsHTTPCodesAndWords() throws {
        let text = """
            {"arm": "baseline", "ts": 100, "status": 200}
            {"arm": "baseline", "ts": 100, "status": 499}
            {"arm": "baseline", "ts": 100, "status": 500}
            {"arm": "baseline", "ts": 100, "status": "ok"}
            {"arm": "baseline", "ts": "2026-03-01T10:30:00+01:00", "status": "error"}

            """
        let events = try read(text).events
        #expect(events.map(\.isError) == [false, false, true, false, true])
        #expect(events[4].time == 1_772_357_400, "offsets are applied")
    }

    @Test func aSymlinkedEventsFileIsKeyedByItsTarget() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("real.jsonl").path
        let link = folder.appendingPathComponent("link.jsonl").path
        try Data("{\"arm\": \"canary\", \"ts\": 1}\n".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let target = try CanaryEventReader.files(of: real)
        #expect(try CanaryEventReader.files(of: link) == target)
        #expect(try CanaryEventReader.files(of: folder.path) == target, "a folder's link and its target are one file, read once")
    }

    @Test func aLeapDayIsAValidTimestamp() throws {
        let events = try read("{\"arm\": \"canary\", \"ts\": \"2028-02-29T00:00:00Z\"}\n{\"arm\": \"canary\", \"ts\": \"2000-02-29T00:00:00+23:59\"}\n").events
        let expected: [Double] = [1_835_395_200, 951_782_400 - 86_340]
        #expect(events.map(\.time) == expected)
    }

    @Test func anUnfinishedLastLineWaitsForTheNextLook() throws {
        let text = "{\"arm\": \"canary\", \"ts\": 1}\n{\"arm\": \"canary\", \"ts\""
        let first = try read(text)
        #expect(first.events.count == 1)
        #expect(first.end == CanaryEventReader.Position(byte: 27, line: 1))
        let second = try read(text + ": 2}\n", from: first.end)
        #expect(second.events.map(\.time) == [2])
        #expect(second.end.line == 2)
    }

    /// The column is where the offending value (or the unexpected character) starts; a line
    /// with no value to point at (a missing key, a line too long) has none.
    @Test(arguments: [
        ("{\"arm\": \"canary\", \"ts\": 1}\n{\"arm\": \"blue\", \"ts\": 1}\n", 2, 9, "unknown arm 'blue'"),
        ("{\"arm\": \"canary\", \"ts\": \"yesterday\"}\n", 1, 25, "RFC 3339"),
        ("{\"arm\": \"canary\"}\n", 1, nil, "missing 'ts'"),
        ("{\"ts\": 1}\n", 1, nil, "missing 'arm'"),
        ("{\"arm\": \"canary\", \"ts\": 1}\n{\"arm\": \"canary\", \"ts\": \"2026-02-31T00:00:00Z\"}\n", 2, 25, "RFC 3339"),
        ("{\"arm\": \"canary\", \"ts\": \"2026-02-29T00:00:00Z\"}\n", 1, 25, "RFC 3339"),
        ("{\"arm\": \"canary\", \"ts\": \"2026-04-31T00:00:00Z\"}\n", 1, 25, "RFC 3339"),
        ("{\"arm\": \"canary\", \"ts\": \"2026-03-01T00:00:00+99:99\"}\n", 1, 25, "RFC 3339"),
        ("{\"arm\": \"canary\", \"ts\": \"2026-03-01T00:00:00+02:60\"}\n", 1, 25, "RFC 3339"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"latency_ms\": NaN}\n", 1, 42, "malformed JSON"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"latency_ms\": \"NaN\"}\n", 1, 42, "latency_ms"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"latency_ms\": -3}\n", 1, 42, "latency_ms"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"latency_ms\": 1e999}\n", 1, 42, "not a finite number"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"score\": 01}\n", 1, 38, "expected ',' or '}'"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"score\": 1.}\n", 1, 39, "digit after the decimal point"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"note\": \"a\\qb\"}\n", 1, 39, "valid escape"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"note\": \"a\tb\"}\n", 1, 38, "control character"),
        ("{\"arm\": \"canary\", \"ts\": 1,}\n", 1, 27, "quoted key"),
        ("{\"arm\": \"canary\", \"ts\": 1} x\n", 1, 28, "end of the line"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"status\": true}\n", 1, 38, "status"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"status\": \"teapot\"}\n", 1, 38, "status"),
        ("\n\n[1, 2]\n", 3, 1, "JSON object"),
        ("{\"arm\": \"canary\", \"ts\": 1, \"pad\": \"" + String(repeating: "x", count: CanaryEventReader.maximumLineBytes) + "\"}\n", 1, nil, "longer than")
    ])
    func badLinesAreRefusedWithTheirLineAndColumn(_ text: String, _ line: Int, _ column: Int?, _ phrase: String) {
        #expect {
            _ = try read(text)
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.location == SourceLocation(file: "events.jsonl", line: line, column: column) && error.message.contains(phrase)
        }
    }

    @Test func aFolderIsReadInNameOrderAndOnlyItsJSONLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canary-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.jsonl", "a.jsonl", "notes.txt"] { try Data().write(to: folder.appendingPathComponent(name)) }
        let files = try CanaryEventReader.files(of: folder.path)
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["a.jsonl", "b.jsonl"])
        #expect(throws: TollgateError.self) { try CanaryEventReader.files(of: folder.appendingPathComponent("missing").path) }
    }
}
