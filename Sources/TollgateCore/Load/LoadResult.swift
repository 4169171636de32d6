/// The outcome of one open-loop load: what was asked, what the client held, and each version's
/// measurement.
public struct LoadResult: Sendable, Equatable {
    public var spec: LoadSpec
    /// By version, in the order the versions took their slots.
    public var versions: [(version: String, load: VersionLoad)]
    /// Measured sends per second the client actually made (all versions).
    public var achievedRate: Double
    /// When slot time 0 was, on the monotonic clock (`CLOCK_MONOTONIC`, seconds): the schedule's
    /// intended send times are this plus each slot's time.
    public var started: Double

    public static func == (a: Self, b: Self) -> Bool {
        a.spec == b.spec && a.achievedRate == b.achievedRate && a.started == b.started && a.versions.map(\.version) == b.versions.map(\.version)
            && a.versions.map(\.load) == b.versions.map(\.load)
    }

    public var scheduled: Int { versions.reduce(0) { $0 + $1.load.scheduled } }
    public var late: Int { versions.reduce(0) { $0 + $1.load.late } }
    public var dropped: Int { versions.reduce(0) { $0 + $1.load.dropped } }

    public func load(of version: String) -> VersionLoad? { versions.first { $0.version == version }?.load }

    /// Why the latency checks cannot be trusted: more than 1% of the measured sends were late
    /// or dropped, so the client, not the servers, set the pace. Nil when the schedule held.
    public var inconclusiveReason: String? {
        let missed = late + dropped
        guard scheduled > 0, Double(missed) > LoadSpec.tolerableMissedShare * Double(scheduled) else { return nil }
        return "the load client could not hold its schedule: \(late) of \(scheduled) sends were late (over 10 ms) and \(dropped) dropped "
            + "at max_in_flight \(spec.maxInFlight) (more than 1%); achieved \(Formatting.decimal(achievedRate)) of \(Formatting.decimal(spec.rate)) requests/s"
    }
}
