import TollgateCore

/// DORA's five delivery figures and the ML figures for one model over one window.
///
/// A figure without data has `value == nil` and no level: "N/A" in every format, never a level
/// guessed from nothing. Durations are seconds, rates fractions.
public struct DoraReport: Sendable, Equatable, Codable {
    public var model: String
    public var window: Window
    public var reportYear: Int
    public var deploymentFrequency: DeploymentFrequency
    public var changeLeadTime: Duration
    /// The first incident or incident-tracking event of the model before the window's end; `nil`
    /// when there is none, and then the change failure rate has no level: a team that records no
    /// incidents would otherwise read 0% and elite.
    public var incidentsTrackedSince: Instant?
    public var changeFailureRate: Rate
    /// DORA 2023's fourth key: a failed deployment to its recovery. Graded under 2023 only.
    public var failedDeploymentRecoveryTime: Duration
    /// DORA 2021's fourth key: an incident's opening to its resolution. Graded under 2021 only.
    public var timeToRestoreService: Duration
    public var reworkRate: Rate
    public var ml: MLFigures

    public struct Window: Sendable, Equatable, Codable {
        public var start: Instant
        public var end: Instant
        public var days: Int
    }

    public struct DeploymentFrequency: Sendable, Equatable, Codable {
        public var deployments: Int
        public var perDay: Double?
        public var deploymentDays: Int
        /// Lower medians of deployment days per ISO week and per calendar month (zero periods included).
        public var medianDaysPerWeek: Double?
        public var medianDaysPerMonth: Double?
        public var level: DoraLevel?
    }

    public struct Duration: Sendable, Equatable, Codable {
        public var count: Int
        public var median: Double?
        public var p90: Double?
        public var level: DoraLevel?
    }

    public struct Rate: Sendable, Equatable, Codable {
        public var count: Int
        public var of: Int
        public var value: Double?
        public var level: DoraLevel?
    }

    public struct MLFigures: Sendable, Equatable, Codable {
        /// Time since the production version was deployed, at the window's end.
        public var modelAge: Double?
        public var productionVersion: String?
        public var registrationToProduction: Duration
        public var gatePassRate: Rate
        public var firstAttemptPassRate: Rate
        public var rollbackRate: Rate
        public var flakyChecks: [FlakyCheck]
        /// Canary analyses whose latest look fell in the window, by that look's verdict.
        public var canary: CanaryCounts
    }

    /// Canary analyses by outcome: passed (promote), failed (roll back), and not decided
    /// (`continue` or `inconclusive` at their latest look).
    public struct CanaryCounts: Sendable, Equatable, Codable {
        public var passed: Int
        public var failed: Int
        public var undecided: Int
        public var total: Int { passed + failed + undecided }

        public init(passed: Int, failed: Int, undecided: Int) {
            self.passed = passed
            self.failed = failed
            self.undecided = undecided
        }
    }

    /// A check whose outcome changed between runs of the same version on the same data.
    public struct FlakyCheck: Sendable, Equatable, Codable {
        public var version: String
        public var dataHash: String
        public var expression: String
        /// Distinct outcomes, in the order they first appeared.
        public var outcomes: [String]
        public var runs: Int
        /// How many times the outcome changed from one run to the next.
        public var flips: Int
    }
}

extension DoraReport {
    /// The recovery figure the report year grades, with its name: time to restore service under
    /// 2021, failed deployment recovery time under 2023.
    public var gradedRecovery: (name: String, figure: Duration) {
        if DoraBenchmark.supported.first(where: { $0.year == reportYear })?.grades(.timeToRestoreService) == true {
            return ("time to restore service", timeToRestoreService)
        }
        return ("failed deployment recovery time", failedDeploymentRecoveryTime)
    }
}

extension DoraReport.Duration {
    init(_ samples: [Double], level: (Double) -> DoraLevel?) {
        let sorted = samples.sorted()
        count = sorted.count
        median = Percentile.of(0.5, sorted: sorted)
        p90 = Percentile.of(0.9, sorted: sorted)
        self.level = median.flatMap(level)
    }
}

extension DoraReport.Rate {
    init(_ count: Int, of total: Int, level: (Double) -> DoraLevel?) {
        self.count = count
        of = total
        value = total == 0 ? nil : Double(count) / Double(total)
        self.level = value.flatMap(level)
    }
}
