/// A version's `tollgate.scorer` tag: how Tollgate gets its predictions.
enum MLflowScorerTag: Equatable {
    /// `predictions:PATH`, a file among the version's artifacts.
    case predictions(String)
    /// `http:URL`, the version served by `mlflow models serve`.
    case http(String)

    static let key = "tollgate.scorer"
    static let expected = "expected 'predictions:PATH' (an artifact of the version) or 'http:URL' (the served model)"

    init(parsing text: String, version: String, at location: SourceLocation?) throws(TollgateError) {
        let kind = text.prefix { $0 != ":" }
        let value = text.dropFirst(kind.count + 1)
        switch kind {
        case "predictions":
            guard let path = MLflowPaths.artifactPath(String(value)) else {
                throw TollgateError(
                    .registry, at: location,
                    "malformed \(Self.key) tag '\(text)' on version \(version): the path must be relative to the version's artifacts, without '..'")
            }
            self = .predictions(path)
        case "http" where value.hasPrefix("http://") || value.hasPrefix("https://"):
            self = .http(String(value))
        default:
            throw TollgateError(.registry, at: location, "malformed \(Self.key) tag '\(text)' on version \(version): \(Self.expected)")
        }
    }
}
