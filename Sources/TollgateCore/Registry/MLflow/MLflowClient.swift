import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// MLflow's REST API over `HTTPClient.send`: JSON in and out, bounded retries, the server's
/// words in every error.
///
/// Retried: 429 and 503 (the server asked to wait; `Retry-After` is honoured up to the backoff
/// cap), time-outs and connections refused before anything was sent. Everything else is final.
public struct MLflowClient: Sendable {
    public var endpoint: MLflowEndpoint
    /// Where the config named the registry, for errors that are the server's fault.
    public var location: SourceLocation?
    /// Attempts per request, the first included.
    public var attempts = 4
    /// Seconds before the second attempt; doubled each time, capped at 4 s.
    public var backoff = 0.25
    /// Seconds each exchange may take.
    public var timeout = 30.0
    private let http: HTTPClient

    public init(endpoint: MLflowEndpoint, location: SourceLocation?, http: HTTPClient = HTTPClient(maxConnections: 2)) {
        self.endpoint = endpoint
        self.location = location
        self.http = http
    }

    /// What a request came back with, once retries are spent.
    enum Outcome {
        case ok(Data)
        case refused(MLflowAPIError)
    }

    /// GET `path` (under the base URL) with `query`; the body on 2xx, the server's refusal otherwise.
    func get(_ path: String, _ query: [(String, String)] = []) throws(TollgateError) -> Outcome {
        try exchange("GET", path, query: query, body: nil)
    }

    /// POST (or DELETE) `path` with a JSON object.
    func write(_ method: String, _ path: String, json: [String: String]) throws(TollgateError) -> Outcome {
        let body = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return try exchange(method, path, query: [], body: body)
    }

    /// Like `get`, but a refusal is an error quoting the server, `what` saying what was asked.
    func require(_ path: String, _ query: [(String, String)], what: String, at reference: SourceLocation? = nil) throws(TollgateError) -> Data {
        switch try get(path, query) {
        case .ok(let data): return data
        case .refused(let error): throw refusal(error, what: what, at: reference)
        }
    }

    /// Decodes an MLflow JSON answer; a body that is not the expected shape is the server's fault.
    func decode<T: Decodable>(_ type: T.Type, _ data: Data, from path: String) throws(TollgateError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw TollgateError(.registry, at: location, "unexpected answer from the MLflow server \(endpoint) to \(path): \(error)")
        }
    }

    /// The one-line error for a refusal: 401/403 say how credentials are given, the rest quote the server.
    func refusal(_ error: MLflowAPIError, what: String, at reference: SourceLocation?) -> TollgateError {
        switch error.status {
        case 401:
            return TollgateError(
                .registry, at: location,
                "the MLflow server \(endpoint) refused the credentials (\(error.words)) while reading \(what); set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"
            )
        case 403:
            return TollgateError(.registry, at: location, "the MLflow server \(endpoint) denied access to \(what) (\(error.words))")
        default:
            return TollgateError(.registry, at: reference ?? location, "\(what): the MLflow server \(endpoint) answered \(error.words)")
        }
    }

    func url(_ path: String, query: [(String, String)]) -> URL {
        var components = URLComponents(url: endpoint.base, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath += path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // `+` in a query value is a space to MLflow's server; keep a literal plus a plus.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    private func exchange(_ method: String, _ path: String, query: [(String, String)], body: Data?) throws(TollgateError) -> Outcome {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let authorization = endpoint.authorization { headers.append(("Authorization", authorization)) }
        let request = HTTPRequest(method: method, url: url(path, query: query), headers: headers, body: body, timeout: timeout)
        var delay = backoff
        var attempt = 1
        while true {
            let result = http.send(request)
            var wait: Double?
            switch result {
            case .success(let response) where (200..<300).contains(response.status):
                return .ok(response.body)
            case .success(let response) where response.status == 429 || response.status == 503:
                wait = response.header("Retry-After").flatMap(Double.init).map { min($0, 4) } ?? delay
            case .success(let response):
                return .refused(MLflowAPIError(status: response.status, body: response.body))
            case .failure(let failure):
                let retryable = failure == .timeout || { if case .transport(_, true) = failure { true } else { false } }()
                // A POST that may have reached the server is not repeated: it could apply twice.
                if retryable, method == "GET" || failure != .timeout { wait = delay }
                if wait == nil || attempt >= attempts {
                    throw TollgateError(.registry, at: location, "cannot reach the MLflow server \(endpoint): \(failure) (\(method) \(path))")
                }
            }
            if attempt >= attempts, case .success(let response) = result {
                return .refused(MLflowAPIError(status: response.status, body: response.body))
            }
            usleep(useconds_t((wait ?? delay) * 1_000_000))
            delay = min(delay * 2, 4)
            attempt += 1
        }
    }
}
