/// `${VAR}` in a registry or config value, taken from the environment when the request is made.
///
/// The unexpanded text is what reports, the history and the site show, so a secret never
/// leaves the process that sends it.
public enum EnvironmentExpansion {
    /// `text` with every `${NAME}` replaced; a variable that is not set is an error naming it,
    /// never an empty credential sent to a server.
    public static func expand(
        _ text: String, in environment: [String: String], at location: SourceLocation?
    ) throws(TollgateError) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw TollgateError(.config, at: location, "unterminated '${' in '\(text)': expected ${NAME}")
            }
            let name = String(rest[start.upperBound..<end])
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw TollgateError(.config, at: location, "'${\(name)}' is not a variable name: expected letters, digits and '_'")
            }
            guard let value = environment[name] else {
                throw TollgateError(.config, at: location, "environment variable \(name) is not set (named by '${\(name)}')")
            }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}
