/// Turns text from the registry (tag values, artifact names) into something safe to use as a
/// path: inside the version's artifacts on the server, or one file name in the local cache.
enum MLflowPaths {
    /// A relative artifact path from a tag: no `..`, no leading `/`, no empty components.
    static func artifactPath(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !text.isEmpty, !text.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            !text.contains("\\"), !text.contains("\0")
        else { return nil }
        return text
    }

    /// One local file name: the last component, with anything but letters, digits, `.`, `-`
    /// and `_` replaced by `_`, and never starting with a dot.
    static func fileName(_ text: String) -> String {
        let last = text.split(separator: "/").last.map(String.init) ?? text
        var name = String(
            last.unicodeScalars.map { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            })
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "artifact" : String(name.prefix(120))
    }

    /// The proxy path of an `mlflow-artifacts:` URI (`mlflow-artifacts:/1/abc/artifacts/model` →
    /// `1/abc/artifacts/model`); nil for any other store, which the proxy cannot serve.
    static func proxyPath(ofArtifactURI uri: String) -> String? {
        let scheme = "mlflow-artifacts:"
        guard uri.hasPrefix(scheme) else { return nil }
        var rest = Substring(uri.dropFirst(scheme.count))
        if rest.hasPrefix("//") {
            // mlflow-artifacts://host:port/path: the host is the server's own.
            rest = rest.dropFirst(2)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        return rest.isEmpty ? nil : String(rest)
    }
}
