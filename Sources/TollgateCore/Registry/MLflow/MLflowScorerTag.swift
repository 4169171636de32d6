import Foundation

/// A version's `tollgate.scorer` tag: how Tollgate gets its predictions.
enum MLflowScorerTag: Equatable {
    /// `predictions:PATH`, a file among the version's artifacts.
    case predictions(String)
    /// `http:URL`, a model already served somewhere, scored live by the HTTP scorer.
    case http(ServedURL)
    /// `mlflow-serve` (or no tag at all, when the config asks for it): the version itself,
    /// served by `mlflow models serve` for the length of the run.
    case serve

    /// Where an `http:` tag points and how to talk to it there.
    struct ServedURL: Equatable {
        /// The server's base URL, as the HTTP scorer's `url`.
        var base: String
        var inferenceProtocol: HTTPScorerSpec.InferenceProtocol
        /// oip-v2: the served model's name and, when the URL names one, its version.
        var model: String?
        var modelVersion: String?
    }

    static let key = "tollgate.scorer"
    static let serveValue = "mlflow-serve"
    static let expected =
        "expected 'predictions:PATH' (an artifact of the version), 'http:URL' (a served model: a base URL or …/invocations for mlflow, "
        + "…/v2/models/NAME[/versions/V] for oip-v2) or 'mlflow-serve' (the version served by mlflow models serve)"

    init(parsing text: String, version: String, at location: SourceLocation?) throws(TollgateError) {
        func malformed(_ why: String) -> TollgateError {
            // A URL's user and password are not repeated.
            let shown = text.hasPrefix("http:") ? "http:" + ServingEndpoint.display(String(text.dropFirst(5))) : text
            return TollgateError(.registry, at: location, "malformed \(Self.key) tag '\(shown)' on version \(version): \(why)")
        }
        if text == Self.serveValue {
            self = .serve
            return
        }
        let kind = text.prefix { $0 != ":" }
        let value = String(text.dropFirst(kind.count + 1))
        switch kind {
        case "predictions":
            guard let path = MLflowPaths.artifactPath(value) else {
                throw malformed("the path must be relative to the version's artifacts, without '..'")
            }
            self = .predictions(path)
        case "http" where value.hasPrefix("http://") || value.hasPrefix("https://"):
            guard let served = Self.served(value) else {
                throw malformed(
                    "expected http(s)://HOST[:PORT][/PATH] without credentials, query or fragment, where a path with /v2/ is "
                        + "/v2/models/NAME or /v2/models/NAME/versions/VERSION")
            }
            self = .http(served)
        default:
            throw malformed(Self.expected)
        }
    }

    /// `http://host:port[/prefix]` or `…/invocations` → mlflow at the prefix;
    /// `…/v2/models/NAME[/versions/V][/infer]` → oip-v2 with that model at what precedes `/v2`.
    static func served(_ text: String) -> ServedURL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, !text.contains(" ")
        else { return nil }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        var root = components
        root.percentEncodedPath = ""
        guard let origin = root.string else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return nil }
        guard let v2 = segments.firstIndex(of: "v2") else {
            if segments.last == "invocations" {
                return ServedURL(base: origin + path.dropLast("/invocations".count), inferenceProtocol: .mlflow)
            }
            return ServedURL(base: origin + path, inferenceProtocol: .mlflow)
        }
        var rest = Array(segments[(v2 + 1)...])
        if rest.last == "infer" { rest.removeLast() }
        guard rest.count == 2 || rest.count == 4, rest[0] == "models", rest.count == 2 || rest[2] == "versions",
            let model = rest[1].removingPercentEncoding, !model.isEmpty
        else { return nil }
        let modelVersion = rest.count == 4 ? rest[3].removingPercentEncoding : nil
        if rest.count == 4, modelVersion?.isEmpty ?? true { return nil }
        let prefix = segments[..<v2].map { "/" + $0 }.joined()
        return ServedURL(base: origin + prefix, inferenceProtocol: .oipV2, model: model, modelVersion: modelVersion)
    }
}
