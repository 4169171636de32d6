/// Parses one line of JSON Lines: an object whose values are scalars.
///
/// Hand-written so that every error carries the line and column where the text went wrong;
/// nested objects and arrays are refused, since a column holds one value.
struct FlatJSONObjectParser {
    private let bytes: [UInt8]
    private let file: String
    private let line: Int
    private let kind: TollgateError.Kind
    private var i = 0

    init(bytes: [UInt8], file: String, line: Int, kind: TollgateError.Kind) {
        self.bytes = bytes
        self.file = file
        self.line = line
        self.kind = kind
    }

    /// The object's entries as (key, value text, 1-based column), or nil for a blank line.
    mutating func parse() throws(TollgateError) -> [(String, [UInt8], Int)]? {
        skipSpace()
        if i == bytes.count { return nil }
        try expect(UInt8(ascii: "{"), "a JSON object '{...}'")
        var entries: [(String, [UInt8], Int)] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                let key = String(decoding: try readString(), as: UTF8.self)
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after the key")
                skipSpace()
                let column = i + 1
                let value = try readScalar()
                entries.append((key, value, column))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
        }
        skipSpace()
        guard i == bytes.count else { throw error("expected the end of the line after the object") }
        return entries
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0D { i += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(TollgateError) {
        guard peek == c else { throw error("expected \(what)") }
        i += 1
    }

    private func error(_ message: String) -> TollgateError {
        let found = i < bytes.count ? "'\(String(decoding: bytes[i..<min(bytes.count, i + 12)], as: UTF8.self))'" : "the end of the line"
        return TollgateError(kind, at: SourceLocation(file: file, line: line, column: i + 1), "malformed JSON: \(message), found \(found)")
    }

    private mutating func readScalar() throws(TollgateError) -> [UInt8] {
        guard let c = peek else { throw error("expected a value") }
        switch c {
        case UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw error("expected a single value (string, number, true, false or null), not a nested object or array")
        default:
            let start = i
            while let c = peek, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != 0x20, c != 0x09 { i += 1 }
            let token = Array(bytes[start..<i])
            let text = String(decoding: token, as: UTF8.self)
            if text == "true" || text == "false" || text == "null" { return token }
            if token.withUnsafeBytes({ NumberParser.double($0) }) != nil { return token }
            i = start
            throw error("expected a value (string, number, true, false or null)")
        }
    }

    private mutating func readString() throws(TollgateError) -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        while let c = peek {
            i += 1
            if c == UInt8(ascii: "\"") { return out }
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard let e = peek else { break }
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                    throw error("expected four hex digits after '\\u'")
                }
                i += 4
                var scalarValue = code
                if (0xD800..<0xDC00).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                    let low = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low)
                {
                    scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalarValue) ?? "\u{FFFD}")).utf8))
            default: out.append(e)
            }
        }
        throw error("unterminated string: expected a closing '\"'")
    }
}
