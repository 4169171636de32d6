import Yams

/// A YAML node that knows its file and position, so every type error can say where.
///
/// Yams reports syntax errors with line and column but type errors only with a key path;
/// walking `Yams.compose` nodes ourselves keeps `file:line:col` on every message.
struct YAMLNode {
    let node: Node
    let file: String
    /// Dotted path from the document root (`dataset.path`), for messages.
    let path: String

    static func load(_ text: String, file: String) throws(TollgateError) -> YAMLNode {
        try YAMLDepthGuard.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        } catch {
            throw TollgateError(.config, at: SourceLocation(file: file), "could not read YAML: \(error)")
        }
        guard let root else {
            throw TollgateError(.config, at: SourceLocation(file: file, line: 1, column: 1), "the file is empty; expected a YAML mapping")
        }
        return YAMLNode(node: root, file: file, path: "")
    }

    var location: SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Where the scalar's text itself begins: one column past an opening quote.
    var contentLocation: SourceLocation {
        if case .scalar(let s) = node, s.style == .singleQuoted || s.style == .doubleQuoted {
            return location.advanced(by: 1)
        }
        return location
    }

    var name: String { path.isEmpty ? "the document" : "'\(path)'" }

    func error(_ message: String) -> TollgateError {
        TollgateError(.config, at: location, message)
    }

    // MARK: mappings

    func mapping() throws(TollgateError) -> [(key: String, value: YAMLNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value) for \(name), found \(kindName)")
        }
        var entries: [(String, YAMLNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                throw YAMLNode(node: key, file: file, path: path).error("expected a plain key in \(name)")
            }
            entries.append((k.string, child(value, k.string)))
        }
        return entries
    }

    /// Looks up `key`, rejecting keys nobody reads so a typo is never silently ignored.
    func fields(allowed: [String]) throws(TollgateError) -> [String: YAMLNode] {
        var result: [String: YAMLNode] = [:]
        for (key, value) in try mapping() {
            guard allowed.contains(key) else {
                throw YAMLNode(node: keyNode(key) ?? node, file: file, path: path).error(
                    "unknown key '\(key)' in \(name)\(NameSuggestion.hint(for: key, in: allowed)); expected one of: \(allowed.joined(separator: ", "))")
            }
            result[key] = value
        }
        return result
    }

    private func keyNode(_ key: String) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.keys.first { $0.scalar?.string == key }
    }

    private func child(_ node: Node, _ key: String) -> YAMLNode {
        YAMLNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    // MARK: scalars and lists

    var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    func string() throws(TollgateError) -> String {
        guard case .scalar(let s) = node, !isNull else {
            throw error("expected a text value for \(name), found \(kindName)")
        }
        return s.string
    }

    func double() throws(TollgateError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else {
            throw error("expected a finite number for \(name), found '\(text)'")
        }
        return value
    }

    func int() throws(TollgateError) -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number for \(name), found '\(text)'") }
        return value
    }

    func bool() throws(TollgateError) -> Bool {
        switch try string() {
        case "true", "True", "TRUE", "yes": return true
        case "false", "False", "FALSE", "no": return false
        case let other: throw error("expected true or false for \(name), found '\(other)'")
        }
    }

    func list() throws(TollgateError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else {
            throw error("expected a list for \(name), found \(kindName)")
        }
        return sequence.enumerated().map { YAMLNode(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    func stringList() throws(TollgateError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.string()) }
        return result
    }

    private var kindName: String {
        switch node {
        case .scalar: isNull ? "nothing" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// 1-based line and column (in characters) of a UTF-8 byte offset into `text`.
    private static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var seen = 0
        for character in text {
            seen += character.utf8.count
            guard seen <= offset else { break }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    private static func translate(_ error: YamlError, file: String) -> TollgateError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return TollgateError(
                .config, at: SourceLocation(file: file, line: mark.line, column: mark.column),
                "malformed YAML: \(problem)\(detail)")
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml's reader (bad characters) gives a byte offset, not a mark.
            let (line, column) = position(ofByte: offset ?? 0, in: yaml)
            let byte = value >= 0 ? " (0x\(String(value, radix: 16, uppercase: true)))" : ""
            return TollgateError(.config, at: SourceLocation(file: file, line: line, column: column), "malformed YAML: \(problem)\(byte)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return TollgateError(
                .config, at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                "malformed YAML: duplicated key \(duplicates.joined(separator: ", "))")
        default:
            return TollgateError(.config, at: SourceLocation(file: file), "malformed YAML: \(error)")
        }
    }
}
