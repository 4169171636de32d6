/// The top-level `load:` block: one open-loop load, on a fixed schedule, that every version
/// with an http scorer faces at the same moments.
public struct LoadSpec: Sendable, Equatable {
    /// How send times are spaced.
    public enum Arrival: String, Sendable, Equatable, CaseIterable {
        /// Exactly `1 / rate` apart.
        case constant
        /// Exponential gaps of mean `1 / rate` (a Poisson process), seeded by `statistics.seed`.
        case poisson
    }

    /// Requests per second, over all versions together.
    public var rate: Double
    /// Seconds measured, after the warm-up.
    public var duration: Double
    /// Seconds sent first and not measured (connections opened, caches and JITs warm).
    public var warmup: Double = 0
    public var arrival: Arrival = .constant
    /// Rows per request, cycling through the dataset.
    public var batchSize: Int = 1
    /// Requests in flight at most; a send due while this many are outstanding is dropped.
    public var maxInFlight: Int = 64
    /// Where the config declares the block.
    public var location: SourceLocation

    public init(rate: Double, duration: Double, location: SourceLocation) {
        self.rate = rate
        self.duration = duration
        self.location = location
    }

    /// A send this far behind its intended time is late: the client, not the server, fell behind.
    public static let lateAfter = 0.010
    /// More late or dropped sends than this share and the latency checks are inconclusive.
    public static let tolerableMissedShare = 0.01
}
