/// What one version's requests measured during the load's measured window.
public struct VersionLoad: Sendable, Equatable {
    /// Completion minus *intended* send time (coordinated omission corrected, as wrk2 does):
    /// what a user arriving on schedule would have waited. The latency checks read this.
    public var latency = LatencySummary()
    /// Completion minus actual send time: what a closed-loop client would report.
    public var service = LatencySummary()
    /// Measured slots of this version: sent plus dropped.
    public var scheduled = 0
    public var sent = 0
    /// Sent more than `LoadSpec.lateAfter` behind the intended time.
    public var late = 0
    /// Not sent: `max_in_flight` requests were outstanding when the slot came.
    public var dropped = 0
    public var errors: [LoadErrorClass: Int] = [:]

    public init() {}

    /// One completed request, times in seconds.
    mutating func record(latency: Double, service: Double, completedAt time: Double, error: LoadErrorClass?) {
        let clamp = Double(LatencySummary.highestMicroseconds) / 1000
        self.latency.record(milliseconds: min(max(latency, 0) * 1000, clamp), error: error != nil, timestamp: time)
        self.service.record(milliseconds: min(max(service, 0) * 1000, clamp), error: error != nil, timestamp: time)
        if let error { errors[error, default: 0] += 1 }
    }
}
