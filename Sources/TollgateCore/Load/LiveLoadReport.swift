/// One version's part of the open-loop load, as the run report carries it (JSON, terminal, site).
public struct LiveLoadReport: Sendable, Equatable, Codable {
    /// Requests per second the schedule asked for, over every version under load.
    public var targetRPS: Double
    /// Requests per second the client sent during the measured window, over every version.
    public var achievedRPS: Double
    public var arrival: String
    public var batchSize: Int
    public var durationSeconds: Double
    public var warmupSeconds: Double
    /// This version's measured slots, and what became of them.
    public var scheduled: Int
    public var sent: Int
    public var late: Int
    public var dropped: Int
    /// Requests that failed, by class (`http_4xx`, `http_5xx`, `timeout`, `transport`, `decode`, `shape`).
    public var errors: [String: Int]
    /// Completion minus actual send, what a closed-loop client reports, beside the corrected latency.
    public var serviceP50Ms: Double
    public var serviceP99Ms: Double
    public var serviceMaxMs: Double
    /// Set when more than 1% of the run's sends were late or dropped: the latency checks are inconclusive.
    public var inconclusiveReason: String?

    enum CodingKeys: String, CodingKey {
        case arrival, scheduled, sent, late, dropped, errors
        case targetRPS = "target_rps"
        case achievedRPS = "achieved_rps"
        case batchSize = "batch_size"
        case durationSeconds = "duration_seconds"
        case warmupSeconds = "warmup_seconds"
        case serviceP50Ms = "service_p50_ms"
        case serviceP99Ms = "service_p99_ms"
        case serviceMaxMs = "service_max_ms"
        case inconclusiveReason = "inconclusive_reason"
    }

    init(_ result: LoadResult, version load: VersionLoad) {
        let service = load.service.metrics
        targetRPS = result.spec.rate
        achievedRPS = result.achievedRate
        arrival = result.spec.arrival.rawValue
        batchSize = result.spec.batchSize
        durationSeconds = result.spec.duration
        warmupSeconds = result.spec.warmup
        scheduled = load.scheduled
        sent = load.sent
        late = load.late
        dropped = load.dropped
        errors = Dictionary(uniqueKeysWithValues: load.errors.map { ($0.key.rawValue, $0.value) })
        serviceP50Ms = load.service.requests > 0 ? service["p50_ms"]! : 0
        serviceP99Ms = load.service.requests > 0 ? service["p99_ms"]! : 0
        serviceMaxMs = load.service.requests > 0 ? service["max_ms"]! : 0
        inconclusiveReason = result.inconclusiveReason
    }

    /// One line for the terminal under the candidate's table.
    public var summary: String {
        var text =
            "live load: \(Formatting.decimal(achievedRPS)) of \(Formatting.decimal(targetRPS)) requests/s (\(arrival)), "
            + "\(sent) sent, \(late) late, \(dropped) dropped; service time p50 \(Formatting.decimal(serviceP50Ms)) ms, "
            + "p99 \(Formatting.decimal(serviceP99Ms)) ms"
        if !errors.isEmpty { text += "; errors " + errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        return text
    }
}
