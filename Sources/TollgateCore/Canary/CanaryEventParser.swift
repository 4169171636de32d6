import Foundation

/// The numeric fields an event keeps beside those it always reads (arm, time, request id,
/// latency, status, prediction, label).
public enum CanaryFieldSelection: Sendable {
    /// Every numeric (or boolean, as 0/1) field: for reading a log as a whole.
    case all
    /// Only these: a look keeps what its checks read, so an event, or a shadow half waiting in
    /// the state for its pair, carries nothing more.
    case named([String])
}

/// One line of canary events, parsed where it lies.
///
/// Why by hand: a look over ten million events spent most of its time and gigabytes of memory
/// in JSONSerialization's dictionaries. This parser allocates only the strings an event keeps
/// and names the column where a line went wrong. A line with a nested object or array (allowed
/// in fields Tollgate does not read) is handed to JSONSerialization, which judges it as before.
struct CanaryEventParser {
    private let keepsAll: Bool
    private let named: [[UInt8]]

    init(fields: CanaryFieldSelection) {
        switch fields {
        case .all: (keepsAll, named) = (true, [])
        case .named(let names): (keepsAll, named) = (false, names.map { Array($0.utf8) })
        }
    }

    /// One non-blank line to one event, or an error at its line and column.
    func parse(_ line: UnsafeRawBufferPointer, at location: SourceLocation) throws(TollgateError) -> CanaryEvent {
        var cursor = JSONCursor(bytes: line, location: location)
        guard let event = try read(&cursor) else {
            return try CanaryEventReader.parseNested(Data(line), at: location, keeping: self)
        }
        return event
    }

    /// Whether a numeric field named `key` is kept.
    func keeps(_ key: String) -> Bool { keepsAll || named.contains(Array(key.utf8)) }

    private func keeps(_ key: UnsafeRawBufferPointer) -> Bool {
        keepsAll || named.contains { $0.elementsEqual(key) }
    }

    /// nil when a value is a nested object or array: the caller falls back to JSONSerialization.
    private func read(_ c: inout JSONCursor) throws(TollgateError) -> CanaryEvent? {
        // A byte order mark (editors on Windows write one at the top of a file) is not content.
        if c.bytes.count >= 3, c.bytes[0] == 0xEF, c.bytes[1] == 0xBB, c.bytes[2] == 0xBF { c.i = 3 }
        c.skipSpace()
        guard c.peek == UInt8(ascii: "{") else { throw c.fail("expected a JSON object per line") }
        c.i += 1
        var arm: CanaryEvent.Arm?
        var time: Double?
        var event = CanaryEvent(arm: .baseline, time: 0)
        c.skipSpace()
        if c.peek == UInt8(ascii: "}") {
            c.i += 1
        } else {
            while true {
                c.skipSpace()
                guard c.peek == UInt8(ascii: "\"") else { throw c.fail("expected a quoted key") }
                let key = try c.string()
                c.skipSpace()
                guard c.peek == UInt8(ascii: ":") else { throw c.fail("expected ':' after the key") }
                c.i += 1
                c.skipSpace()
                let column = c.i + 1
                guard let value = try c.scalar() else { return nil }
                if key.escaped {
                    let decoded = c.decode(key.range)
                    try decoded.withUnsafeBytes { name in
                        Result { () throws(TollgateError) in try apply(name, value, column: column, cursor: &c, to: &event, arm: &arm, time: &time) }
                    }.get()
                } else {
                    try apply(c.slice(key.range), value, column: column, cursor: &c, to: &event, arm: &arm, time: &time)
                }
                c.skipSpace()
                if c.peek == UInt8(ascii: ",") {
                    c.i += 1
                    continue
                }
                guard c.peek == UInt8(ascii: "}") else { throw c.fail("expected ',' or '}'") }
                c.i += 1
                break
            }
        }
        c.skipSpace()
        guard c.i == c.bytes.count else { throw c.fail("expected the end of the line after the object") }
        guard let arm else { throw c.failWithoutColumn("missing 'arm' (\"baseline\" or \"canary\")") }
        guard let time else { throw c.failWithoutColumn("missing 'ts' (RFC 3339 or epoch seconds)") }
        event.arm = arm
        event.time = time
        return event
    }

    /// Reads one entry into the event.
    private func apply(
        _ key: UnsafeRawBufferPointer, _ value: JSONCursor.Scalar, column: Int, cursor c: inout JSONCursor,
        to event: inout CanaryEvent, arm: inout CanaryEvent.Arm?, time: inout Double?
    ) throws(TollgateError) {
        func fail(_ message: String) -> TollgateError { c.fail(message, column: column, found: false) }
        if case .number(let d) = value, !d.isFinite { throw fail("'\(String(decoding: key, as: UTF8.self))' is not a finite number") }
        switch Key(key) {
        case .arm:
            guard case .string(let range, let escaped) = value else { throw fail("'arm' must be \"baseline\" or \"canary\"") }
            let text = c.text(range, escaped: escaped)
            guard let parsed = CanaryEvent.Arm(rawValue: text) else { throw fail("unknown arm '\(text)'; expected \"baseline\" or \"canary\"") }
            arm = parsed
        case .ts:
            switch value {
            case .string(let range, let escaped):
                let text = c.text(range, escaped: escaped)
                guard let t = RFC3339.seconds(text) else { throw fail("'ts' is not an RFC 3339 time: '\(text)'") }
                time = t
            case .number(let d): time = d
            default: throw fail("'ts' must be RFC 3339 text or epoch seconds")
            }
        case .requestID:
            guard let text = try c.text(value) else { throw fail("'request_id' must be text or a number") }
            event.requestId = text
        case .latency:
            guard case .number(let d) = value, d > 0 else {
                throw fail("'latency_ms' must be a positive finite number, found \(c.token(from: column - 1))")
            }
            event.latencyMs = d
            if keeps(key) { event.fields["latency_ms"] = d }
        case .status:
            switch value {
            case .string(let range, let escaped):
                let text = c.text(range, escaped: escaped)
                switch text.lowercased() {
                case "ok": event.isError = false
                case "error": event.isError = true
                default: throw fail("'status' must be an HTTP status or \"ok\"/\"error\", found '\(text)'")
                }
            case .number(let d) where (100...599).contains(d) && d == d.rounded():
                event.isError = d >= 500
            default: throw fail("'status' must be an HTTP status (100–599) or \"ok\"/\"error\"")
            }
        case .prediction, .label:
            let text = try c.text(value)
            if Key(key) == .prediction { event.prediction = text } else { event.label = text }
            if let number = value.number, keeps(key) { event.fields[String(decoding: key, as: UTF8.self)] = number }
        case .other:
            if let number = value.number, keeps(key) { event.fields[String(decoding: key, as: UTF8.self)] = number }
        }
    }

    /// The keys an event reads, recognised from their bytes without making a String.
    private enum Key: Equatable {
        case arm, ts, requestID, latency, status, prediction, label, other

        init(_ key: UnsafeRawBufferPointer) {
            func equals(_ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == key.count && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0
            }
            switch key.count {
            case 2 where equals("ts"): self = .ts
            case 3 where equals("arm"): self = .arm
            case 5 where equals("label"): self = .label
            case 6 where equals("status"): self = .status
            case 10 where equals("request_id"): self = .requestID
            case 10 where equals("latency_ms"): self = .latency
            case 10 where equals("prediction"): self = .prediction
            default: self = .other
            }
        }
    }
}

/// A position in one line of JSON, and the scalars read from it.
struct JSONCursor {
    let bytes: UnsafeRawBufferPointer
    let location: SourceLocation
    var i = 0

    /// A value; strings as their range inside the quotes, decoded only when needed.
    enum Scalar {
        case string(Range<Int>, escaped: Bool)
        case number(Double)
        case boolean(Bool)
        case null

        /// Numbers, and booleans as 1 and 0 (a 0/1 field for `rate(FIELD)`).
        var number: Double? {
            switch self {
            case .number(let d): d
            case .boolean(let b): b ? 1 : 0
            default: nil
            }
        }
    }

    init(bytes: UnsafeRawBufferPointer, location: SourceLocation) {
        self.bytes = bytes
        self.location = location
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }

    /// A few characters from `start`, to show what was found.
    func token(from start: Int) -> String {
        var end = start
        while end < bytes.count, end - start < 16, bytes[end] != UInt8(ascii: ","), bytes[end] != UInt8(ascii: "}") { end += 1 }
        return String(decoding: slice(start..<end), as: UTF8.self)
    }

    func fail(_ message: String, column: Int? = nil, found: Bool = true) -> TollgateError {
        let at = column ?? (i + 1)
        var text = message
        if found {
            text =
                "malformed JSON: \(message), found "
                + (at - 1 < bytes.count ? "'\(String(decoding: slice((at - 1)..<min(bytes.count, at + 11)), as: UTF8.self))'" : "the end of the line")
        }
        return TollgateError(.dataset, at: SourceLocation(file: location.file, line: location.line, column: at), text)
    }

    func failWithoutColumn(_ message: String) -> TollgateError { TollgateError(.dataset, at: location, message) }

    /// A scalar value, or nil for a nested object or array.
    mutating func scalar() throws(TollgateError) -> Scalar? {
        guard let c = peek else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""):
            let token = try string()
            return .string(token.range, escaped: token.escaped)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return nil
        case UInt8(ascii: "t"): return try literal("true", .boolean(true))
        case UInt8(ascii: "f"): return try literal("false", .boolean(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Scalar) throws(TollgateError) -> Scalar {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(word.utf8Start, bytes.baseAddress! + i, n) == 0 else {
            throw fail("expected a value (string, number, true, false or null)")
        }
        i += n
        return value
    }

    /// JSON's number grammar exactly: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() throws(TollgateError) -> Double {
        let start = i
        func digits(_ cursor: inout JSONCursor) -> Int {
            let from = cursor.i
            while cursor.i < cursor.bytes.count, cursor.bytes[cursor.i] &- 0x30 < 10 { cursor.i += 1 }
            return cursor.i - from
        }
        if peek == UInt8(ascii: "-") { i += 1 }
        if peek == UInt8(ascii: "0") {
            i += 1
        } else if digits(&self) == 0 {
            i = start
            throw fail("expected a value (string, number, true, false or null)")
        }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("expected a digit after the decimal point") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("expected a digit in the exponent") }
        }
        // The grammar is checked: what the fast parser leaves (500 digits and more) the
        // standard library reads.
        guard let value = NumberParser.double(slice(start..<i)) ?? Double(String(decoding: slice(start..<i), as: UTF8.self)) else {
            i = start
            throw fail("expected a number")
        }
        return value
    }

    /// A string's range inside its quotes, and whether it holds escapes; the cursor moves past it.
    mutating func string() throws(TollgateError) -> (range: Range<Int>, escaped: Bool) {
        i += 1
        let start = i
        var escaped = false
        var ascii = true
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                // JSON text is UTF-8: a string that is not is refused, as JSONSerialization refuses it.
                if !ascii, String(validating: slice(start..<(i - 1)), as: UTF8.self) == nil {
                    throw fail("expected UTF-8 text inside the string", column: start)
                }
                return (start..<(i - 1), escaped)
            }
            if c >= 0x80 { ascii = false }
            if c < 0x20 { throw fail("expected no control character inside a string (escape it)") }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard let e = peek else { break }
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard let unit = hexEscape(at: i - 1) else { throw fail("expected four hex digits after '\\u'") }
                    // A surrogate comes in pairs, high then low, or the string is not Unicode text.
                    if (0xDC00..<0xE000).contains(unit) { throw fail("expected a high surrogate before the low surrogate '\\u\(String(unit, radix: 16))'") }
                    if (0xD800..<0xDC00).contains(unit) {
                        guard let low = hexEscape(at: i + 5), (0xDC00..<0xE000).contains(low) else {
                            throw fail("expected a low surrogate '\\uDC00'-'\\uDFFF' after the high surrogate '\\u\(String(unit, radix: 16))'")
                        }
                        i += 6
                    }
                    i += 5
                default: throw fail("expected a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                }
                continue
            }
            i += 1
        }
        throw fail("unterminated string: expected a closing '\"'")
    }

    private static func isHex(_ c: UInt8) -> Bool { c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6 }

    /// The code unit of a `\uXXXX` escape whose backslash is at `at`, or nil when there is none.
    private func hexEscape(at: Int) -> UInt32? {
        guard at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return nil }
        var value: UInt32 = 0
        for j in (at + 2)..<(at + 6) {
            let c = bytes[j]
            guard Self.isHex(c) else { return nil }
            value = value * 16 + UInt32(c &- 0x30 < 10 ? c - 0x30 : (c | 0x20) - 0x61 + 10)
        }
        return value
    }

    /// The bytes of an escaped string's contents, escapes resolved (a valid string, as `string()`
    /// checked: every escape complete, every surrogate paired).
    func decode(_ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        var k = range.lowerBound
        while k < range.upperBound {
            let c = bytes[k]
            k += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            let e = bytes[k]
            k += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hexEscape(at: k - 2) ?? 0xFFFD
                k += 4
                if (0xD800..<0xDC00).contains(scalar), let low = hexEscape(at: k) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(e)
            }
        }
        return out
    }

    /// A string's contents as text.
    func text(_ range: Range<Int>, escaped: Bool) -> String {
        escaped ? String(decoding: decode(range), as: UTF8.self) : String(decoding: slice(range), as: UTF8.self)
    }

    /// A prediction, label or request id as canonical text: strings as they are, numbers so
    /// that `1`, `1.0` and `true` read alike; nil for null.
    func text(_ value: Scalar) throws(TollgateError) -> String? {
        switch value {
        case .string(let range, let escaped):
            return text(range, escaped: escaped)
        case .number, .boolean:
            let d = value.number ?? 0
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .null: return nil
        }
    }
}
