import Foundation
import Testing

@testable import TollgateCore

/// The shapes a mutation fuzzer found to crash the recursive parser (issue #15), each now a
/// located error well before the stack runs out, and the limits' edges still accepted.
@Suite struct CheckParserLimitTests {
    let origin = SourceLocation(file: "tollgate.yml", line: 19, column: 7)

    func parse(_ text: String) throws(TollgateError) -> Check {
        try CheckParser.parse(text, suite: .accuracy, at: origin)
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let name: String
        let sentence: String
        /// Column (relative to the sentence's first character, 0-based) the error must point at.
        let offset: Int
        let says: String
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(
            name: "7,000 nested parentheses", sentence: "roc_auc >= " + String(repeating: "(", count: 7000) + "0.5" + String(repeating: ")", count: 7000),
            offset: 11 + 64, says: "check nests deeper than 64 levels"),
        Shape(
            name: "a chain of 9,000 unary minus", sentence: "roc_auc >= " + String(repeating: "-", count: 9000) + "0.5",
            offset: 11 + 64, says: "check nests deeper than 64 levels"),
        Shape(
            name: "7,000 nested min(", sentence: String(repeating: "min(", count: 7000) + "recall[sex]" + String(repeating: ")", count: 7000) + " >= 0.5",
            offset: 64 * 4 + 3, says: "check nests deeper than 64 levels"),
        Shape(
            name: "a flat chain of 90,000 champions", sentence: "roc_auc >= champion" + String(repeating: " + champion", count: 89_999),
            offset: 11 + 256 * 11, says: "check has more than 256 terms in its expression")
    ]

    @Test("each crash shape is a located error, not a signal", arguments: shapes)
    func crashShapesAreLocatedErrors(_ shape: Shape) {
        #expect {
            _ = try parse(shape.sentence)
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.kind == .check && error.location == origin.advanced(by: shape.offset) && error.message.hasPrefix(shape.says)
                && error.message.count < 400
        }
    }

    @Test("64 levels of parentheses and 256 terms are still a check")
    func theLimitsThemselvesParse() throws {
        let deep = try parse("roc_auc >= " + String(repeating: "(", count: 64) + "0.5" + String(repeating: ")", count: 64))
        #expect(deep.condition == .compare(.greaterOrEqual, .number(0.5)))
        let long = try parse("roc_auc >= champion" + String(repeating: " - 0.001", count: 255))
        guard case .compare(_, let expression) = long.condition else {
            Issue.record("not a comparison")
            return
        }
        #expect(abs(expression.evaluate(champion: 1) - (1 - 0.255)) < 1e-12)
        #expect(throws: TollgateError.self) { _ = try parse("roc_auc >= champion" + String(repeating: " - 0.001", count: 256)) }
    }

    @Test("a config whose check nests too deep names the config line and column")
    func configLocatesTheDepthError() throws {
        let check = "roc_auc >= " + String(repeating: "(", count: 7000) + "0.5" + String(repeating: ")", count: 7000)
        let yaml = """
            model: m
            registry: r
            champion: "@champion"
            candidates: ["2"]
            dataset: {path: d.csv, id: id, label: y, task: binary}
            checks:
              accuracy:
                - \(check)

            """
        #expect {
            _ = try GateConfig.parse(yaml, file: "tollgate.yml", baseDirectory: .init(fileURLWithPath: "/tmp"))
        } throws: { error in
            (error as? TollgateError)?.description.hasPrefix("tollgate.yml:8:82: check nests deeper than 64 levels") == true
        }
    }

    /// A deep YAML text, named briefly so a test log does not print 40 KB per case.
    struct DeepYAML: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        var testDescription: String { name }
    }

    @Test(
        "YAML nested thousands deep is refused before Yams recurses",
        arguments: [
            DeepYAML(name: "20,000 nested flow sequences", text: String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)),
            DeepYAML(name: "20,000 nested block sequences", text: "checks:\n  accuracy:\n    " + String(repeating: "- ", count: 20_000) + "x\n"),
            DeepYAML(
                name: "20,000 nested flow mappings", text: "model: " + String(repeating: "{a: ", count: 20_000) + "b" + String(repeating: "}", count: 20_000)),
            // Escaped quotes must not end the string early: a guard that took `\"` or `''` for the
            // closing quote would open a string at the next quote and never see the nesting after it.
            DeepYAML(
                name: "nesting after an escaped double quote",
                text: "x: [\"a\\\" \", " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_001)),
            DeepYAML(
                name: "nesting after an escaped single quote",
                text: "x: ['a'' ', " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_001))
        ])
    func deepYAML(_ yaml: DeepYAML) {
        #expect {
            _ = try GateConfig.parse(yaml.text, file: "tollgate.yml", baseDirectory: .init(fileURLWithPath: "/tmp"))
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.message == "YAML nests deeper than 64 levels" && error.location?.line != nil
        }
    }
}

/// Where a file stops being UTF-8: the first bad byte's line, column and offset.
@Suite struct UTF8TextTests {
    @Test(
        "the first invalid byte is located; valid multi-byte text before it (é, U+FFFD, emoji) is not",
        arguments: [
            (Array("model: m\nname: é \u{FFFD} 🙂 ".utf8) + [0xE9], 2, 19),
            (Array("a\n".utf8) + [0xED, 0xA0, 0x80], 2, 1), // a surrogate
            (Array("ab".utf8) + [0xC0, 0xAF], 1, 3), // an overlong '/'
            (Array("abc".utf8) + [0xE2, 0x82], 1, 4) // cut short at the end
        ])
    func firstInvalidByte(_ bytes: [UInt8], _ line: Int, _ column: Int) {
        let position = UTF8Text.firstInvalidByte(bytes)
        #expect(position.line == line && position.column == column, "\(position)")
        #expect(String(data: Data(bytes), encoding: .utf8) == nil)
    }
}
