/// What `tollgate canary` compares, and how strictly: the parsed `canary.yml`.
///
/// Why its own config: a canary judges live events between two arms, not a dataset and a
/// registry, yet keeps the gate's check language (with `baseline` as the comparator) so a
/// reviewer reads one kind of sentence everywhere.
public struct CanaryConfig: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable, Codable, CaseIterable {
        /// Each arm serves different requests: unpaired comparison.
        case canary
        /// Every request goes to both: paired by `request_id`.
        case shadow
    }

    public struct Statistics: Sendable, Equatable, Codable {
        public var alpha: Double = 0.05
        /// Burn-in per arm: below it nothing is decided (and never passed).
        public var minSamples: Int = 500
        /// The horizon per arm: an undecided check is inconclusive there.
        public var maxSamples: Int = 200_000
        /// The horizon in seconds from the first event, if set.
        public var maxDuration: Double?

        public init() {}
    }

    public var model: String
    public var baseline: String?
    public var canary: String?
    public var mode: Mode
    /// The `source.events` path (resolved against the config's folder), or `-` for stdin.
    public var events: String?
    /// `source.prometheus`: counters read over Prometheus's HTTP API instead of events.
    public var prometheus: PrometheusSource?
    public var checks: [CanaryCheck]
    public var statistics: Statistics
    /// sha256 of the config file, so a saved state is never continued under another config.
    public var sha256: String

    /// The α each check is tested at: Bonferroni over the blocking checks.
    public var alphaPerCheck: Double {
        SequentialTest.bonferroni(alpha: statistics.alpha, blockingChecks: checks.filter { $0.check.severity == .block }.count)
    }
}
