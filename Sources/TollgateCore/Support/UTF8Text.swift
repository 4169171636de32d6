import Foundation

/// Decodes a text file as UTF-8, or says at which line and column the first bad byte sits.
///
/// "Not UTF-8 text" alone sends the user hunting through a file; the position of the first
/// invalid byte (a Latin-1 `é`, a stray binary block) is what lets them fix it.
public enum UTF8Text {
    public static func decode(_ data: Data, file: String, kind: TollgateError.Kind, what: String) throws(TollgateError) -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        let (line, column, offset) = firstInvalidByte(Array(data))
        throw TollgateError(
            kind, at: SourceLocation(file: file, line: line, column: column),
            "\(what) is not UTF-8 text: byte \(offset) (0x\(String(data[data.startIndex + offset], radix: 16, uppercase: true))) is not valid UTF-8")
    }

    /// 1-based line and column (in bytes) of the first byte that does not start or continue a
    /// valid UTF-8 sequence, and its 0-based offset.
    static func firstInvalidByte(_ bytes: [UInt8]) -> (line: Int, column: Int, offset: Int) {
        var line = 1
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, i - lineStart + 1, i)
            }
            guard i + length <= bytes.count else { return (line, i - lineStart + 1, i) }
            let sequence = Array(bytes[i..<i + length])
            // A valid sequence decodes and re-encodes to itself; anything else (overlong
            // forms, surrogates, a missing continuation byte) comes back as U+FFFD.
            guard length == 1 || Array(String(decoding: sequence, as: UTF8.self).utf8) == sequence else {
                return (line, i - lineStart + 1, i)
            }
            if b == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += length
        }
        return (line, max(1, i - lineStart + 1), max(0, bytes.count - 1))
    }
}
