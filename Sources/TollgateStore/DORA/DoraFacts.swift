import TollgateCore

/// The parts of the history DORA reads, as plain values: the rows up to the end of the window,
/// or (read with `since`) the rows inside it plus the earlier rows its figures refer to, because a
/// deployment inside it may have been blamed, remedied or first shipped before it.
public struct DoraFacts: Sendable, Equatable {
    public struct IncidentFact: Sendable, Equatable {
        public var id: String
        public var model: String
        public var at: Instant
        public var deployment: String?
        public var resolvedAt: Instant?
    }

    /// One candidate evaluated in one run.
    public struct Evaluation: Sendable, Equatable {
        public var run: String
        public var model: String
        public var version: String
        public var at: Instant
        public var passed: Bool
        public var dataHash: String
    }

    /// One check's outcome on one candidate in one run.
    public struct CheckOutcome: Sendable, Equatable {
        public var run: String
        public var model: String
        public var version: String
        public var dataHash: String
        public var expression: String
        public var outcome: String
        public var at: Instant
    }

    /// A canary analysis as its latest look left it (before the window's end).
    public struct CanaryOutcome: Sendable, Equatable {
        public var analysis: String
        public var model: String
        /// The latest look's time and verdict.
        public var at: Instant
        public var verdict: String
    }

    /// Deployments of every environment, oldest first; `recordedAt` is left at `at`.
    public var deployments: [Deployment] = []
    public var incidents: [IncidentFact] = []
    public var evaluations: [Evaluation] = []
    public var checks: [CheckOutcome] = []
    /// Statements that a model's incidents are tracked (the earliest is what counts);
    /// `recordedAt` is left at `at`.
    public var incidentTracking: [IncidentTracking] = []
    /// Canary analyses, each as of its latest look, in the order of those looks.
    public var canaryAnalyses: [CanaryOutcome] = []

    public init(
        deployments: [Deployment] = [], incidents: [IncidentFact] = [], evaluations: [Evaluation] = [], checks: [CheckOutcome] = [],
        incidentTracking: [IncidentTracking] = []
    ) {
        self.deployments = deployments
        self.incidents = incidents
        self.evaluations = evaluations
        self.checks = checks
        self.incidentTracking = incidentTracking
    }

    /// `parts`' rows one after another, as reading their models in that order would have given
    /// them; each row is copied once, into arrays reserved for all of them.
    init(concatenating parts: [DoraFacts]) {
        self.init()
        deployments.reserveCapacity(parts.reduce(0) { $0 + $1.deployments.count })
        incidents.reserveCapacity(parts.reduce(0) { $0 + $1.incidents.count })
        evaluations.reserveCapacity(parts.reduce(0) { $0 + $1.evaluations.count })
        checks.reserveCapacity(parts.reduce(0) { $0 + $1.checks.count })
        incidentTracking.reserveCapacity(parts.reduce(0) { $0 + $1.incidentTracking.count })
        canaryAnalyses.reserveCapacity(parts.reduce(0) { $0 + $1.canaryAnalyses.count })
        for part in parts { append(part) }
    }

    /// Adds `other`'s rows after this one's, as reading its model next would have.
    mutating func append(_ other: DoraFacts) {
        deployments += other.deployments
        incidents += other.incidents
        evaluations += other.evaluations
        checks += other.checks
        incidentTracking += other.incidentTracking
        canaryAnalyses += other.canaryAnalyses
    }

    public var models: [String] {
        Array(
            Set(
                deployments.map(\.model) + incidents.map(\.model) + evaluations.map(\.model) + incidentTracking.map(\.model)
                    + canaryAnalyses.map(\.model))
        ).sorted()
    }
}
