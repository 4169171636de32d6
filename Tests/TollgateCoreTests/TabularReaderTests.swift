import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// RFC 4180 as files in the wild spell it, and JSON Lines, compressed or not.
@Suite struct TabularReaderTests {
    func rows(_ path: String) throws(TollgateError) -> (columns: [String], rows: [[String]], lines: [Int]) {
        let reader = try TabularReaders.open(path, hashing: true, kind: .dataset)
        var rows: [[String]] = []
        var lines: [Int] = []
        while try reader.next() {
            rows.append(reader.columns.indices.map { reader.string($0) })
            lines.append(reader.line)
        }
        return (reader.columns, rows, lines)
    }

    @Test func quotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let dir = try ScratchDirectory()
        let file = try dir.write("d.csv", "id,text,n\r\n1,\"a, b\",2\r\n2,\"say \"\"hi\"\"\",3\r\n3,\"two\nlines\",4\r\n4,,5\r\n")
        let result = try rows(file)
        #expect(result.columns == ["id", "text", "n"])
        #expect(result.rows == [["1", "a, b", "2"], ["2", "say \"hi\"", "3"], ["3", "two\nlines", "4"], ["4", "", "5"]])
        #expect(result.lines == [2, 3, 4, 6])
    }

    @Test func aByteOrderMarkAndAMissingFinalNewlineAreFine() throws {
        let dir = try ScratchDirectory()
        let file = try dir.write("d.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id,y\n1,0\n\n2,1".utf8))
        let result = try rows(file)
        #expect(result.columns == ["id", "y"])
        #expect(result.rows == [["1", "0"], ["2", "1"]])
        #expect(result.lines == [2, 4])
    }

    @Test func recordsLongerThanTheBufferAreReadWhole() throws {
        let dir = try ScratchDirectory()
        let long = String(repeating: "x", count: 3 << 20)
        let file = try dir.write("d.csv", "id,text\n1,\"\(long)\"\n2,short\n")
        let result = try rows(file)
        #expect(result.rows.map { $0[1].count } == [long.count, 5])
    }

    @Test func gzipIsDetectedByItsMagicBytesAndHashedAsStored() throws {
        let dir = try ScratchDirectory()
        var text = "id,y\n"
        for i in 0..<50_000 { text += "r\(i),\(i % 2)\n" }
        try dir.write("d.csv", text)
        let compressed = try dir.gzip("d.csv", keep: true)
        let result = try rows(compressed)
        #expect(result.rows.count == 50_000)
        #expect(result.rows.last == ["r49999", "1"])
        let reader = try TabularReaders.open(compressed, hashing: true, kind: .dataset)
        while try reader.next() {}
        #expect(reader.finalizeDigest() == SHA256Digest.hex(of: try Data(contentsOf: URL(fileURLWithPath: compressed))))
    }

    @Test func aTruncatedGzipFileIsAnError() throws {
        let dir = try ScratchDirectory()
        var text = "id,y\n"
        for i in 0..<20_000 { text += "r\(i),\(i % 2)\n" }
        try dir.write("d.csv", text)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try dir.gzip("d.csv")))
        let cut = try dir.write("cut.csv.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
        let error = try #require(throws: TollgateError.self) { _ = try rows(cut) }
        #expect(error.message.contains("truncated gzip"))
    }

    @Test func jsonLinesReadLikeCSV() throws {
        let dir = try ScratchDirectory()
        let file = try dir.write(
            "d.jsonl",
            """
            {"id": "a", "y": 1, "note": "x\\"y"}
            {"note": "\\u00e9", "y": 0, "id": "b", "extra": true}

            {"id": "c", "y": 1.5e0, "note": null}
            """)
        let result = try rows(file)
        #expect(result.columns == ["id", "y", "note"])
        #expect(result.rows == [["a", "1", "x\"y"], ["b", "0", "é"], ["c", "1.5e0", "null"]])
        #expect(result.lines == [1, 2, 4])
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let column: Int?
        let says: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Bad(name: "ragged.csv", text: "id,y\n1,0\n2,1,7\n", line: 3, column: nil, says: "ragged row: expected 2 fields as in the header, found 3"),
        Bad(name: "short.csv", text: "id,y\n1\n", line: 2, column: nil, says: "ragged row: expected 2 fields as in the header, found 1"),
        Bad(name: "unterminated.csv", text: "id,y\n1,\"open\n", line: 2, column: 3, says: "unterminated quoted field"),
        Bad(name: "after-quote.csv", text: "id,y\n\"1\"x,0\n", line: 2, column: 4, says: "after a closing quote"),
        Bad(name: "dupe-header.csv", text: "id,y,id\n1,0,2\n", line: 1, column: 6, says: "duplicate column name 'id'"),
        Bad(name: "empty.csv", text: "", line: 1, column: 1, says: "the file is empty"),
        Bad(
            name: "broken.jsonl", text: "{\"id\": \"a\", \"y\": 1}\n{\"id\": \"b\" \"y\": 0}\n", line: 2, column: 12,
            says: "malformed JSON: expected ',' or '}'"),
        Bad(name: "nested.jsonl", text: "{\"id\": \"a\", \"y\": [1]}\n", line: 1, column: 18, says: "not a nested object"),
        Bad(name: "missing-key.jsonl", text: "{\"id\": \"a\", \"y\": 1}\n{\"id\": \"b\"}\n", line: 2, column: 1, says: "missing key 'y'")
    ])
    func malformedFilesNameTheLineAndColumn(_ bad: Bad) throws {
        let dir = try ScratchDirectory()
        let file = try dir.write(bad.name, bad.text)
        let error = try #require(throws: TollgateError.self) { _ = try rows(file) }
        #expect(error.location?.file == file)
        #expect(error.location?.line == bad.line)
        if let column = bad.column { #expect(error.location?.column == column) }
        #expect(error.message.contains(bad.says), "\(error.message)")
    }
}
