import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange, as the registry and the live scorers send it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds until the exchange counts as a timeout.
    public var timeout: Double

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil, timeout: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What came back. Any status is a response; deciding what a 4xx means is the caller's business.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    /// A header by name, ignoring case as HTTP does.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.key.lowercased() == lowered }?.value
    }
}

/// Why no response arrived. Kept apart from HTTP statuses so load tests can count errors by class.
public enum HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout
    /// The connection could not be made or broke; `beforeSend` when nothing of the request left
    /// this process (refused, unresolvable), the only case a retry cannot duplicate work.
    case transport(String, beforeSend: Bool)

    public var description: String {
        switch self {
        case .timeout: "timed out"
        case .transport(let message, _): message
        }
    }
}

/// A small HTTP/1.1 client over Foundation's URLSession (libcurl on Linux).
///
/// Tollgate's gate is synchronous from resolution to report, so `send` blocks its caller; the
/// live scorers and the load generator, which keep many requests in flight, use `start`.
public final class HTTPClient: Sendable {
    private let session: URLSession
    private let refusals = ChallengeRefusal()

    /// - Parameter maxConnections: connections per host; requests beyond it queue inside
    ///   URLSession, so callers that measure latency keep their own in-flight bound below it.
    public init(maxConnections: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnections
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // With no delegate, Foundation on Linux never completes a task whose 401 carries a
        // `WWW-Authenticate` challenge (MLflow's basic-auth app sends one); this delegate turns
        // every challenge down, so the 401 arrives as a response like any other status.
        session = URLSession(configuration: configuration, delegate: refusals, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends `request` and calls `completion` once, on a URLSession queue.
    ///
    /// Once even if Foundation calls the task's handler twice (its Linux URLSession has done so
    /// when an error and a cancellation race): a second call would resume an async caller's
    /// continuation again, which traps.
    public func start(_ request: HTTPRequest, completion once: @escaping @Sendable (Result<HTTPResponse, HTTPFailure>) -> Void) {
        let delivered = DeliveredFlag()
        let completion: @Sendable (Result<HTTPResponse, HTTPFailure>) -> Void = { result in
            if delivered.claim() { once(result) }
        }
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = request.timeout
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body
        let identifier = TaskIdentifier()
        let task = session.dataTask(with: urlRequest) { [refusals] data, response, error in
            // A refused challenge ends the task as cancelled: hand back the 401 it answered.
            if error != nil, let refused = refusals.take(identifier.value) {
                completion(.success(HTTPResponse(status: refused.statusCode, headers: [:], body: Data())))
                return
            }
            if let error {
                completion(.failure(Self.failure(error)))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                completion(.failure(.transport("no HTTP response", beforeSend: false)))
                return
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            completion(.success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
        }
        identifier.value = task.taskIdentifier
        task.resume()
    }

    /// Sends `request` and waits for its outcome.
    public func send(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPFailure> {
        let box = ResultBox()
        start(request) { result in box.put(result) }
        return box.take()
    }

    /// Sends `request` without blocking a thread: for async callers, where a blocked thread
    /// would starve Swift's cooperative pool (two threads on a two-core machine).
    public func exchange(_ request: HTTPRequest) async -> Result<HTTPResponse, HTTPFailure> {
        await withCheckedContinuation { continuation in
            start(request) { continuation.resume(returning: $0) }
        }
    }

    private static func failure(_ error: any Error) -> HTTPFailure {
        let code = (error as? URLError)?.code ?? URLError.Code(rawValue: (error as NSError).code)
        switch code {
        case .timedOut: return .timeout
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return .transport(describe(error), beforeSend: true)
        default: return .transport(describe(error), beforeSend: false)
        }
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.isEmpty ? String(describing: error) : text
    }
}

/// Declines authentication challenges (credentials travel as headers the caller sets) and keeps
/// the response that carried each, so the task's caller still sees its status.
private final class ChallengeRefusal: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [Int: HTTPURLResponse] = [:]

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let response = challenge.failureResponse as? HTTPURLResponse {
            lock.lock()
            responses[task.taskIdentifier] = response
            lock.unlock()
        }
        completionHandler(.rejectProtectionSpace, nil)
    }

    func take(_ task: Int) -> HTTPURLResponse? {
        lock.lock()
        defer { lock.unlock() }
        return responses.removeValue(forKey: task)
    }
}

/// Set by the first of a task's completions; every later one is dropped.
private final class DeliveredFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}

/// A task's identifier, known only once the task exists, for its own completion handler.
private final class TaskIdentifier: @unchecked Sendable {
    var value = -1
}

/// Hands one result from a URLSession queue to the thread waiting in `send`.
private final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<HTTPResponse, HTTPFailure>?

    func put(_ value: Result<HTTPResponse, HTTPFailure>) {
        condition.lock()
        result = value
        condition.signal()
        condition.unlock()
    }

    func take() -> Result<HTTPResponse, HTTPFailure> {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
