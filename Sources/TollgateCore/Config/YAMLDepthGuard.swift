/// Refuses YAML that nests deeper than `maxDepth` before Yams sees it.
///
/// Yams composes (and frees) its node tree recursively, so `[[[[…` a few thousand deep ends
/// the process on a full stack instead of an error (issue #15). A config nests four or five
/// levels; this scan over-estimates depth from the text — indentation levels, block
/// indicators at the start of a line (`- - -`), open flow brackets — so anything it lets
/// through is shallow enough, at the cost of refusing absurd but valid documents.
enum YAMLDepthGuard {
    static let maxDepth = 64

    static func check(_ text: String, file: String) throws(TollgateError) {
        var indents: [Int] = []
        var flow = 0
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            var i = 0
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
            if i == bytes.count || bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: "\r") { continue }
            var block = 0
            if flow == 0 {
                while let last = indents.last, last >= i { indents.removeLast() }
                indents.append(i)
                block = indents.count
            }
            var quote: UInt8?
            var previous = UInt8(ascii: " ")
            var j = i
            while j < bytes.count {
                let c = bytes[j]
                defer {
                    previous = c
                    j += 1
                }
                if let q = quote {
                    // Escapes keep the string open: `\"` inside double quotes, `''` inside single
                    // quotes. Taking either for the closing quote would let the next quote open a
                    // string the parser never sees, hiding real nesting behind it.
                    if q == UInt8(ascii: "\""), c == UInt8(ascii: "\\") {
                        j += 1
                    } else if c == q, q == UInt8(ascii: "'"), j + 1 < bytes.count, bytes[j + 1] == q {
                        j += 1
                    } else if c == q {
                        quote = nil
                    }
                    continue
                }
                let afterSpace = previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")
                let atToken = afterSpace || "[{,:-?".utf8.contains(previous)
                switch c {
                case UInt8(ascii: "#") where afterSpace:
                    j = bytes.count
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if atToken { quote = c }
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flow += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flow = max(0, flow - 1)
                case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                    let next = j + 1 < bytes.count ? bytes[j + 1] : UInt8(ascii: " ")
                    if flow == 0, next == UInt8(ascii: " ") || next == UInt8(ascii: "\r") { block += 1 }
                default:
                    break
                }
                if block + flow > maxDepth {
                    throw TollgateError(
                        .config, at: SourceLocation(file: file, line: lineNumber, column: j + 1),
                        "YAML nests deeper than \(maxDepth) levels")
                }
            }
        }
    }
}
