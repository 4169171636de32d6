/// How a version's predictions were obtained by a live scorer, for the report: a reader can
/// tell a gate over a served model from one over a file, and how much the scoring cost.
public struct ScoringReport: Sendable, Equatable, Codable {
    /// `http` or `command`.
    public var kind: String
    /// The endpoint scored, without credentials (`http://host:port/v2/models/m/infer`), or the
    /// command's arguments.
    public var endpoint: String
    /// `oip-v2` or `mlflow` for http scorers.
    public var inferenceProtocol: String?
    public var requests: Int
    public var rows: Int
    /// Failed attempts by class (`transport`, `timeout`, `http_4xx`, …); only retried ones can
    /// appear in a completed run, since any other error stops it.
    public var errors: [String: Int]
    public var retries: Int
    public var wallSeconds: Double
    /// The scores came from `.tollgate/cache/scores` (the other figures are the scoring that filled it).
    public var cacheHit: Bool

    public init(
        kind: String, endpoint: String, inferenceProtocol: String?, requests: Int, rows: Int, errors: [String: Int] = [:], retries: Int = 0,
        wallSeconds: Double, cacheHit: Bool
    ) {
        self.kind = kind
        self.endpoint = endpoint
        self.inferenceProtocol = inferenceProtocol
        self.requests = requests
        self.rows = rows
        self.errors = errors
        self.retries = retries
        self.wallSeconds = wallSeconds
        self.cacheHit = cacheHit
    }

    enum CodingKeys: String, CodingKey {
        case kind, endpoint, requests, rows, errors, retries
        case inferenceProtocol = "protocol"
        case wallSeconds = "wall_seconds"
        case cacheHit = "cache_hit"
    }

    /// One line for the terminal and the site: `http oip-v2 http://…/infer: 400 rows, 7 requests, 0 retries, 0.31 s`.
    public var summary: String {
        if kind == "command" {
            return "command '\(endpoint)': \(rows) rows, \(Formatting.seconds(wallSeconds))" + (cacheHit ? ", from the cache" : "")
        }
        var text = "\(kind)\(inferenceProtocol.map { " \($0)" } ?? "") \(endpoint): \(rows) rows, \(requests) requests, \(retries) retries"
        let failed = errors.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !failed.isEmpty { text += " (errors: " + failed.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" }
        text += ", \(Formatting.seconds(wallSeconds))"
        if cacheHit { text += ", from the cache" }
        return text
    }
}
