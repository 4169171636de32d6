import Foundation
import Testing

@testable import TollgateCore

/// The hand parser that reads event logs reads every line exactly as JSONSerialization does,
/// and the streaming reader sees every line of a log however its chunks fall.
@Suite struct CanaryEventParserTests {
    static let lines = [
        #"{"arm":"baseline","ts":1780000000.000,"request_id":"r0","latency_ms":28.180,"status":200,"score":0.0724}"#,
        #"{"arm": "canary", "ts": "2026-03-01T09:30:00.25Z", "request_id": 17, "latency_ms": 1.5e2, "status": "ERROR", "converted": false}"#,
        #"  { "ts" : -0.5 , "arm" : "canary" , "prediction" : true , "label" : 1.0 }  "#,
        #"{"arm":"baseline","ts":1,"request_id":"caf\u00e9 \"quoted\" \\ \/ \n","prediction":"\ud83d\ude00","label":null}"#,
        #"{"arm":"canary","ts":1,"meta":{"nested":[1,2,{"x":"}"}]},"score":0.25,"tags":["a","b"]}"#,
        #"{"arm":"canary","ts":1,"score":-0,"big":1E+300,"small":-2.5e-300,"digits":0.30000000000000004}"#,
        #"{"arm":"canary","ts":1,"sc\u006fre":3,"status":599}"#,
        #"{"arm":"canary","ts":1,"request_id":12345678901234567890,"prediction":1e15,"label":0.1}"#,
        #"{"arm":"baseline","ts":1,"status":100,"latency_ms":0.001,"é":2}"#
    ]

    func fast(_ line: String, fields: CanaryFieldSelection = .all) throws -> CanaryEvent {
        try Array(line.utf8).withUnsafeBytes { try CanaryEventParser(fields: fields).parse($0, at: SourceLocation(file: "e.jsonl", line: 1)) }
    }

    @Test(arguments: lines)
    func aLineReadsAsJSONSerializationReadsIt(_ line: String) throws {
        let oracle = try CanaryEventReader.parse(Data(line.utf8), at: SourceLocation(file: "e.jsonl", line: 1))
        #expect(Self.same(try fast(line), oracle))
    }

    /// Equal, but for numbers within an ulp: Foundation's JSONSerialization on Linux reads
    /// `0.30000000000000004` as 0.3000000000000001, one ulp off; the parser rounds correctly.
    static func same(_ a: CanaryEvent, _ b: CanaryEvent) -> Bool {
        var (x, y) = (a, b)
        (x.fields, y.fields) = ([:], [:])
        return x == y && a.fields.keys.sorted() == b.fields.keys.sorted()
            && a.fields.allSatisfy { key, value in abs(value - b.fields[key]!) <= value.ulp }
    }

    @Test func numbersAreCorrectlyRounded() throws {
        let event = try fast(Self.lines[5])
        #expect(event.fields["digits"] == 0.1 + 0.2)
        #expect(event.fields["small"] == -2.5e-300 && event.fields["big"] == 1e300)
    }

    /// Text that is not Unicode (bytes that are not UTF-8, a surrogate escape without its pair)
    /// is refused, as JSONSerialization refuses it.
    @Test(arguments: [
        (Array(#"{"arm":"canary","ts":1,"note":"\udc00"}"#.utf8), "high surrogate"),
        (Array(#"{"arm":"canary","ts":1,"note":"\ud800x"}"#.utf8), "low surrogate"),
        (Array(#"{"arm":"canary","ts":1,"note":"\ud800\u0041"}"#.utf8), "low surrogate"),
        (Array(#"{"arm":"canary","ts":1,"note":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8), "UTF-8")
    ])
    func textThatIsNotUnicodeIsRefused(_ line: [UInt8], _ phrase: String) {
        #expect(throws: (any Error).self, "JSONSerialization refuses it too") {
            try CanaryEventReader.parse(Data(line), at: SourceLocation(file: "e.jsonl", line: 1))
        }
        #expect {
            try line.withUnsafeBytes { try CanaryEventParser(fields: .all).parse($0, at: SourceLocation(file: "e.jsonl", line: 1)) }
        } throws: { error in
            (error as? TollgateError)?.message.contains(phrase) == true
        }
    }

    @Test func aPairedSurrogateAByteOrderMarkAndALongNumberAreRead() throws {
        #expect(try fast(#"{"arm":"canary","ts":1,"request_id":"\ud83d\ude00"}"#).requestId == "\u{1F600}")
        let marked = try ([0xEF, 0xBB, 0xBF] + Array(#"{"arm":"canary","ts":2}"#.utf8)).withUnsafeBytes {
            try CanaryEventParser(fields: .all).parse($0, at: SourceLocation(file: "e.jsonl", line: 1))
        }
        #expect(marked.time == 2)
        let long = "1." + String(repeating: "0", count: 600) + "1"
        #expect(try fast(#"{"arm":"canary","ts":1,"score":"# + long + "}").fields["score"] == 1)
    }

    @Test func aLookKeepsOnlyTheFieldsItsChecksRead() throws {
        let event = try fast(Self.lines[0], fields: .named(["score", "absent"]))
        #expect(event.fields == ["score": 0.0724])
        #expect(event.latencyMs == 28.18 && event.isError == false && event.requestId == "r0", "the fields every event has are always read")
        #expect(try fast(Self.lines[4], fields: .named(["score"])).fields == ["score": 0.25], "a nested line is filtered alike")
    }

    /// Lines made of random keys and scalars, compared with JSONSerialization field by field.
    @Test func randomLinesReadAsJSONSerializationReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        let values = ["1", "-2.5", "1e3", "0", "true", "false", "null", "\"x\"", "\"\\u00e9\\n\"", "[1]", "{\"a\":1}", "3.25E-2"]
        for _ in 0..<500 {
            var entries = ["\"arm\":\"canary\"", "\"ts\":\(Int.random(in: 0...2_000_000_000, using: &generator))"]
            for k in 0..<Int.random(in: 0...6, using: &generator) {
                entries.append("\"f\(k)\":\(values.randomElement(using: &generator)!)")
            }
            entries.shuffle(using: &generator)
            let line = "{" + entries.joined(separator: Bool.random(using: &generator) ? "," : " , ") + "}"
            let oracle = try CanaryEventReader.parse(Data(line.utf8), at: SourceLocation(file: "e.jsonl", line: 1))
            #expect(Self.same(try fast(line), oracle), "\(line)")
        }
    }

    /// A log several chunks long: every line read once, the position at the end of the last
    /// whole line, and a read from a position in the middle sees only the rest.
    @Test func aLogLongerThanAChunkIsReadLineByLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        var text = ""
        let count = 200_000
        for k in 0..<count {
            text += #"{"arm":"\#(k % 2 == 0 ? "baseline" : "canary")","ts":\#(k),"request_id":"r\#(k)","score":\#(Double(k % 97) / 97)}"# + "\n"
        }
        text += #"{"arm":"canary","ts":"# // being written: waits for the next look
        try Data(text.utf8).write(to: url)
        #expect(text.utf8.count > 3 * 4 * CanaryEventReader.maximumLineBytes)
        var seen = 0
        var sum = 0.0
        let end = try CanaryEventReader.forEachEvent(in: url.path) { event in
            #expect(event.time == Double(seen))
            sum += event.fields["score"] ?? .nan
            seen += 1
        }
        #expect(seen == count)
        #expect(end == CanaryEventReader.Position(byte: text.utf8.count - 21, line: count))
        #expect(abs(sum - (0..<count).reduce(0) { $0 + Double($1 % 97) / 97 }) < 1e-6)
        let middle = text.utf8.prefix(while: { _ in true }).prefix(text.utf8.count / 2)
        let cut = middle.lastIndex(of: 10).map { middle.distance(from: middle.startIndex, to: $0) + 1 } ?? 0
        let lineAtCut = middle.prefix(cut).count(where: { $0 == 10 })
        var rest = 0
        let again = try CanaryEventReader.forEachEvent(in: url.path, from: .init(byte: cut, line: lineAtCut)) { event in
            #expect(event.time == Double(lineAtCut + rest))
            rest += 1
        }
        #expect(rest == count - lineAtCut)
        #expect(again == end)
    }
}
