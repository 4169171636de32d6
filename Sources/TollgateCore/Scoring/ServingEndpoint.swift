import Foundation

/// The URLs and headers of a served model, made from its `scorer: {http: ...}` spec.
enum ServingEndpoint {
    /// `base` (as written, with or without a trailing slash or a path prefix) joined with `path`.
    static func url(_ spec: HTTPScorerSpec, _ path: String) throws(TollgateError) -> URL {
        var base = spec.url
        while base.hasSuffix("/") { base.removeLast() }
        guard let components = URLComponents(string: base), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            components.host?.isEmpty == false, let url = URL(string: base + path)
        else {
            throw TollgateError(.config, at: spec.location, "expected an http:// or https:// URL with a host for 'url', found '\(display(spec.url))'")
        }
        return url
    }

    /// One path segment, percent-encoded (a model named `a/b` stays one segment).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The spec's headers with `${VAR}` expanded, plus the JSON content type; expanded only
    /// here, when the requests are about to be made, and never written anywhere.
    static func headers(_ spec: HTTPScorerSpec, environment: [String: String]) throws(TollgateError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
        for header in spec.headers {
            headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            headers.append((header.name, try EnvironmentExpansion.expand(header.value, in: environment, at: spec.location)))
        }
        return headers
    }

    /// A URL as reports show it: without a user or password, should the config hold one.
    static func display(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }
}
