import Foundation

/// Where an MLflow tracking server is and how to sign in to it, from `registry: mlflow+http://…`
/// and the environment variables MLflow's own client reads.
///
/// The secret lives only in `authorization`, which is sent as a header and never described:
/// `description` and every message show the URL without it.
public struct MLflowEndpoint: Sendable, CustomStringConvertible {
    /// The tracking server's base URL (`http://host:port[/prefix]`), without the `mlflow+`.
    public var base: URL
    /// The `Authorization` header value, when credentials are set.
    var authorization: String?

    public static let schemes = ["mlflow+http://", "mlflow+https://"]

    /// Whether a config's `registry:` names an MLflow server rather than a folder.
    public static func names(_ registry: String) -> Bool {
        schemes.contains { registry.lowercased().hasPrefix($0) }
    }

    /// - Parameter environment: `MLFLOW_TRACKING_TOKEN` (bearer) or `MLFLOW_TRACKING_USERNAME`
    ///   with `MLFLOW_TRACKING_PASSWORD` (basic), as MLflow's client reads them.
    public init(registry: String, environment: [String: String], at location: SourceLocation?) throws(TollgateError) {
        var text = String(registry.dropFirst("mlflow+".count))
        while text.hasSuffix("/") { text.removeLast() }
        guard Self.names(registry), let url = URL(string: text), let host = url.host, !host.isEmpty, url.user == nil, url.password == nil,
            url.query == nil
        else {
            throw TollgateError(
                .config, at: location,
                "expected an MLflow server as mlflow+http://HOST:PORT or mlflow+https://HOST:PORT (credentials go in MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD, not the URL)"
            )
        }
        base = url
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            authorization = "Bearer \(token)"
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"], let password = environment["MLFLOW_TRACKING_PASSWORD"] {
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }

    public var description: String { base.absoluteString }
}
