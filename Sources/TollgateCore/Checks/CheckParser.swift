/// Parses one check sentence into a `Check`, pointing at the column where it stopped making sense.
///
/// Recursive descent over characters: the language is small enough that a separate lexer
/// would only add a second place to keep positions right. Recursion is bounded: nesting
/// (parentheses, unary minus, `min(`/`max(`) stops at `maxDepth` levels and an expression at
/// `maxTerms` terms, so no sentence can exhaust the stack while parsing, evaluating or freeing
/// its tree (a left-leaning chain of `+` is as deep as it is long).
public struct CheckParser {
    /// Deeper than any sentence a reviewer can read aloud, far shallower than the stack allows.
    public static let maxDepth = 64
    /// Numbers and `champion`s in one expression; a chain this long is still a shallow tree.
    public static let maxTerms = 256

    private let text: [Character]
    private let source: String
    private let suite: Suite
    /// Location of the sentence's first character.
    private let origin: SourceLocation
    private var index = 0
    /// The word naming the reference version's value: `champion` in gates, `baseline` in canaries.
    private var comparator = "champion"
    private var depth = 0
    private var terms = 0

    public static func parse(_ sentence: String, suite: Suite, at origin: SourceLocation, comparator: String = "champion") throws(TollgateError) -> Check {
        var parser = CheckParser(text: Array(sentence), source: sentence, suite: suite, origin: origin)
        parser.comparator = comparator
        return try parser.parseCheck()
    }

    private init(text: [Character], source: String, suite: Suite, origin: SourceLocation) {
        self.text = text
        self.source = source
        self.suite = suite
        self.origin = origin
    }

    private mutating func parseCheck() throws(TollgateError) -> Check {
        skipSpace()
        let subject = try parseSubject()
        skipSpace()
        let condition = try parseCondition()
        skipSpace()
        var confidence: Check.Confidence?
        if peek == "@" {
            index += 1
            confidence = try parseConfidence()
            skipSpace()
        }
        var severity = Check.Severity.block
        if let word = peekWord(), let s = Check.Severity(rawValue: word) {
            index += word.count
            severity = s
            skipSpace()
        }
        guard index == text.count else {
            throw error("expected the end of the check (or '@ 95%', 'warn', 'block'), found '\(rest)'")
        }
        return Check(
            source: source, location: origin, suite: suite, subject: subject,
            condition: condition, confidence: confidence, severity: severity)
    }

    // MARK: subject

    private mutating func parseSubject() throws(TollgateError) -> Check.Subject {
        let start = index
        guard let name = readIdentifier() else {
            throw error("expected a metric name such as 'roc_auc', found '\(rest)'")
        }
        skipSpace()
        if let aggregate = Check.Aggregate(rawValue: name), peek == "(" {
            try enter()
            defer { depth -= 1 }
            index += 1
            skipSpace()
            var inner = try parseSubject()
            skipSpace()
            try expect(")", "to close '\(name)('")
            guard inner.slice != nil else {
                throw error("'\(name)(...)' takes a sliced metric such as '\(name)(recall[age_band])'", at: start)
            }
            inner.aggregate = aggregate
            return inner
        }
        var slice: [String]?
        if peek == "[" {
            index += 1
            slice = try parseSlice()
        }
        return Check.Subject(metric: name, slice: slice, location: origin.advanced(by: start))
    }

    private mutating func parseSlice() throws(TollgateError) -> [String] {
        var names: [String] = []
        while true {
            skipSpace()
            if peek == "*" {
                index += 1
                names.append("*")
            } else if let name = readWord() {
                names.append(name)
            } else {
                throw error("expected a column name or '*' inside '[...]', found '\(rest)'")
            }
            skipSpace()
            if peek == "," {
                index += 1
                continue
            }
            try expect("]", "to close the slice")
            return names
        }
    }

    // MARK: condition

    private mutating func parseCondition() throws(TollgateError) -> Check.Condition {
        if let word = peekWord() {
            if word == "present" {
                index += word.count
                return .present
            }
            if word == "in" {
                index += word.count
                skipSpace()
                try expect("[", "to start the list after 'in'")
                var items: [String] = []
                while true {
                    skipSpace()
                    guard let item = readWord() else { throw error("expected a value in the list, found '\(rest)'") }
                    items.append(item)
                    skipSpace()
                    if peek == "," {
                        index += 1
                        continue
                    }
                    try expect("]", "to close the list")
                    return .member(of: items)
                }
            }
        }
        for op in ComparisonOperator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            if matches(op.rawValue) {
                index += op.rawValue.count
                skipSpace()
                let expression = try parseSum()
                return .compare(op, expression)
            }
        }
        if peek == "=" { throw error("expected '==', '<=' or '>=', found a single '='") }
        throw error("expected a comparison ('<', '<=', '>', '>=', '==') or 'present', found '\(rest)'")
    }

    private mutating func parseSum() throws(TollgateError) -> Expression {
        var lhs = try parseProduct()
        while true {
            skipSpace()
            guard let c = peek, c == "+" || c == "-" else { return lhs }
            index += 1
            skipSpace()
            let rhs = try parseProduct()
            lhs = .binary(c == "+" ? .add : .subtract, lhs, rhs)
        }
    }

    private mutating func parseProduct() throws(TollgateError) -> Expression {
        var lhs = try parseFactor()
        while true {
            skipSpace()
            guard let c = peek, c == "*" || c == "/" else { return lhs }
            index += 1
            skipSpace()
            let rhs = try parseFactor()
            lhs = .binary(c == "*" ? .multiply : .divide, lhs, rhs)
        }
    }

    private mutating func parseFactor() throws(TollgateError) -> Expression {
        skipSpace()
        if peek == "-" {
            try enter()
            defer { depth -= 1 }
            index += 1
            return .negate(try parseFactor())
        }
        if peek == "(" {
            try enter()
            defer { depth -= 1 }
            index += 1
            let inner = try parseSum()
            skipSpace()
            try expect(")", "to close '('")
            return inner
        }
        let start = index
        if let number = readNumber() {
            try count(at: start)
            if peek == "%" {
                throw error("a threshold is a plain number (0.8, not 80%); '%' belongs after '@'")
            }
            return .number(number)
        }
        if let word = peekWord() {
            guard word == comparator else {
                throw error("expected a number or '\(comparator)', found '\(word)'")
            }
            try count(at: index)
            index += word.count
            return .champion
        }
        throw error("expected a number or '\(comparator)', found '\(rest)'")
    }

    // MARK: confidence

    private mutating func parseConfidence() throws(TollgateError) -> Check.Confidence {
        skipSpace()
        if let word = peekWord(), word.first?.isLetter == true {
            // Only the tests the gate knows; any other word is refused here, where it stands.
            guard let test = Check.StatisticalTest(rawValue: word) else {
                let hint = NameSuggestion.hint(for: word, in: Check.StatisticalTest.allCases.map(\.rawValue))
                throw error(
                    "'\(word)' is not a test this build knows\(hint); write '@ delong 0.05' (roc_auc), '@ mcnemar 0.05' (accuracy) or a confidence level such as '@ 95%'"
                )
            }
            index += word.count
            skipSpace()
            guard let alpha = readNumber(), alpha > 0, alpha < 1 else {
                throw error("expected a significance level between 0 and 1 after '\(word)', e.g. '@ \(word) 0.05'")
            }
            return .test(name: test, alpha: alpha)
        }
        let start = index
        guard let level = readNumber() else {
            throw error("expected a confidence level such as '95%' after '@'")
        }
        try expect("%", "after the confidence level (write '@ 95%')")
        guard level > 0, level < 100 else {
            throw error("a confidence level lies strictly between 0% and 100%", at: start)
        }
        return .level(level / 100)
    }

    // MARK: limits

    /// One level deeper; refused past `maxDepth` at the character that would open it.
    private mutating func enter() throws(TollgateError) {
        guard depth < Self.maxDepth else {
            throw error("check nests deeper than \(Self.maxDepth) levels")
        }
        depth += 1
    }

    /// One more number or `champion`; refused past `maxTerms` at the term that is one too many.
    private mutating func count(at position: Int) throws(TollgateError) {
        terms += 1
        guard terms <= Self.maxTerms else {
            throw error("check has more than \(Self.maxTerms) terms in its expression", at: position)
        }
    }

    // MARK: characters

    private var peek: Character? { index < text.count ? text[index] : nil }
    private var rest: String { index < text.count ? Self.abbreviated(text[index...]) : "the end of the check" }

    /// Long text cut to its start, so a message stays one readable line whatever was written.
    private static func abbreviated(_ characters: ArraySlice<Character>) -> String {
        characters.count <= 120 ? String(characters) : String(characters.prefix(120)) + "…"
    }

    private func matches(_ s: String) -> Bool {
        var i = index
        for c in s {
            guard i < text.count, text[i] == c else { return false }
            i += 1
        }
        return true
    }

    private mutating func skipSpace() {
        while let c = peek, c == " " || c == "\t" { index += 1 }
    }

    private mutating func expect(_ c: Character, _ why: String) throws(TollgateError) {
        guard peek == c else { throw error("expected '\(c)' \(why), found '\(rest)'") }
        index += 1
    }

    private static func isIdentifierCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    private func peekWord() -> String? {
        var i = index
        while i < text.count, Self.isIdentifierCharacter(text[i]) { i += 1 }
        guard i > index, text[index].isLetter || text[index] == "_" else { return nil }
        return String(text[index..<i])
    }

    private mutating func readIdentifier() -> String? {
        guard let word = peekWord() else { return nil }
        index += word.count
        return word
    }

    /// A column name or list item: identifiers plus the characters that show up in them
    /// (`age-band`, `apache-2.0`).
    private mutating func readWord() -> String? {
        let start = index
        while let c = peek, Self.isIdentifierCharacter(c) || c == "-" || c == "." || c == "+" { index += 1 }
        return index > start ? String(text[start..<index]) : nil
    }

    private mutating func readNumber() -> Double? {
        let start = index
        while let c = peek, c.isASCII, c.isNumber || c == "." { index += 1 }
        if index > start, let c = peek, c == "e" || c == "E" {
            var j = index + 1
            if j < text.count, text[j] == "+" || text[j] == "-" { j += 1 }
            if j < text.count, text[j].isASCII, text[j].isNumber {
                index = j
                while let c = peek, c.isASCII, c.isNumber { index += 1 }
            }
        }
        guard index > start, let value = Double(String(text[start..<index])), value.isFinite else {
            index = start
            return nil
        }
        return value
    }

    private func error(_ message: String, at position: Int? = nil) -> TollgateError {
        TollgateError(.check, at: origin.advanced(by: position ?? index), "\(message) in check '\(Self.abbreviated(text[...]))'")
    }
}
