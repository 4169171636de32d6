import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

@testable import TollgateStore

/// A history export's lines, as the import sees them: numbered from 1, blank lines skipped but
/// counted, CR-LF endings and a last line without a newline read whole, any length.
@Suite struct LineSourceTests {
    func lines(of text: [UInt8]) throws -> [(String, Int)] {
        let scratch = try ScratchDirectory()
        let path = scratch.path("export.jsonl")
        try Data(text).write(to: URL(fileURLWithPath: path))
        var seen: [(String, Int)] = []
        try LineSource(path: path).forEachLine { data, location in
            #expect(location.file == path)
            seen.append((String(decoding: data, as: UTF8.self), location.line ?? -1))
        }
        return seen
    }

    @Test func linesAreNumberedAndBlankOnesSkipped() throws {
        let seen = try lines(of: Array("{\"a\":1}\r\n\n  \t\n{\"b\":2}\n\r\n{\"c\":3}".utf8))
        #expect(seen.map(\.0) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(seen.map(\.1) == [1, 4, 6])
    }

    /// Lines longer than the read buffer (1 MiB), across its boundaries.
    @Test func aLineLongerThanTheBufferIsReadWhole() throws {
        let long = String(repeating: "x", count: 3 << 20)
        let seen = try lines(of: Array("short\n\(long)\nafter\n\(long)".utf8))
        #expect(seen.map(\.0.count) == [5, 3 << 20, 5, 3 << 20])
        #expect(seen.map(\.1) == [1, 2, 3, 4])
    }

    @Test func anEmptyFileHasNoLinesAndAMissingOneIsAnError() throws {
        #expect(try lines(of: []).isEmpty)
        #expect(throws: TollgateError.self) { try LineSource(path: "/nonexistent/export.jsonl").forEachLine { _, _ in } }
    }
}
