import TollgateCore

/// The parts of the history DORA reads, as plain values: everything up to the end of the window,
/// because a deployment inside it may have been blamed, remedied or first shipped outside it.
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
    /// Statements that a model's incidents are tracked; `recordedAt` is left at `at`.
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

    public var models: [String] {
        Array(
            Set(
                deployments.map(\.model) + incidents.map(\.model) + evaluations.map(\.model) + incidentTracking.map(\.model)
                    + canaryAnalyses.map(\.model))
        ).sorted()
    }
}

extension SQLHistory {
    public func doraFacts(model: String?, until end: Instant) throws(TollgateError) -> DoraFacts {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> DoraFacts in
            var facts = DoraFacts()
            var args: [SQLValue] = [SQLValue(end)]
            var filter = ""
            if let model {
                filter = " AND e.model = ?"
                args.append(.text(model))
            }
            try db.query(
                """
                SELECT e.id, e.model, e.version, e.environment, e.at, e.type, e.commit_sha, e.committed_at, e.registered_at, e.link
                FROM tollgate_events e WHERE e.kind = 'deployment' AND e.at < ?\(filter) ORDER BY e.at, e.recorded_at, e.id
                """, args
            ) { (row: any SQLRow) throws(TollgateError) in
                let at = try row.instant(4) ?? Instant(milliseconds: 0)
                facts.deployments.append(
                    Deployment(
                        id: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                        environment: try row.text(3) ?? Deployment.production, at: at,
                        type: Deployment.Kind(rawValue: try row.text(5) ?? "") ?? .planned, commit: try row.text(6),
                        committedAt: try row.instant(7), registeredAt: try row.instant(8), remediates: try row.text(9), recordedAt: at))
            }
            // Resolutions after the window's end are not yet known at its end.
            try db.query(
                """
                SELECT e.id, e.model, e.at, e.link, r.at FROM tollgate_events e
                LEFT JOIN tollgate_events r ON r.kind = 'resolution' AND r.link = e.id AND r.at < ?
                WHERE e.kind = 'incident' AND e.at < ?\(filter) ORDER BY e.at, e.id
                """, [SQLValue(end)] + args
            ) { (row: any SQLRow) throws(TollgateError) in
                facts.incidents.append(
                    .init(
                        id: try row.text(0) ?? "", model: try row.text(1) ?? "", at: try row.instant(2) ?? Instant(milliseconds: 0),
                        deployment: try row.text(3), resolvedAt: try row.instant(4)))
            }
            try db.query(
                "SELECT e.id, e.model, e.at FROM tollgate_events e WHERE e.kind = 'incident_tracking' AND e.at < ?\(filter) ORDER BY e.at, e.id", args
            ) { (row: any SQLRow) throws(TollgateError) in
                let at = try row.instant(2) ?? Instant(milliseconds: 0)
                facts.incidentTracking.append(.init(id: try row.text(0) ?? "", model: try row.text(1) ?? "", at: at, recordedAt: at))
            }
            // Every look up to the end; an analysis counts as its latest look left it.
            var looks: [DoraFacts.CanaryOutcome] = []
            try db.query(
                "SELECT e.link, e.model, e.at, e.type FROM tollgate_events e WHERE e.kind = 'canary_analysis' AND e.at < ?\(filter) ORDER BY e.at, e.recorded_at, e.id",
                args
            ) { (row: any SQLRow) throws(TollgateError) in
                looks.append(
                    DoraFacts.CanaryOutcome(
                        analysis: try row.text(0) ?? "", model: try row.text(1) ?? "", at: try row.instant(2) ?? Instant(milliseconds: 0),
                        verdict: try row.text(3) ?? ""))
            }
            let last = Dictionary(looks.enumerated().map { ($0.element.analysis, $0.offset) }, uniquingKeysWith: { max($0, $1) })
            facts.canaryAnalyses = looks.enumerated().filter { last[$0.element.analysis] == $0.offset }.map(\.element)
            let runFilter = model == nil ? "" : " AND c.model = ?"
            try db.query(
                "SELECT c.run_id, c.model, c.version, c.at, c.decision, c.data_hash FROM tollgate_run_candidates c WHERE c.at < ?\(runFilter) ORDER BY c.at, c.run_id",
                args
            ) { (row: any SQLRow) throws(TollgateError) in
                facts.evaluations.append(
                    .init(
                        run: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                        at: try row.instant(3) ?? Instant(milliseconds: 0), passed: try row.text(4) == Decision.pass.rawValue,
                        dataHash: try row.text(5) ?? ""))
            }
            try db.query(
                """
                SELECT k.run_id, c.model, k.version, c.data_hash, k.expression, k.outcome, c.at
                FROM tollgate_run_checks k JOIN tollgate_run_candidates c ON c.run_id = k.run_id AND c.version = k.version
                WHERE c.at < ?\(runFilter) ORDER BY c.at, k.run_id, k.position
                """, args
            ) { (row: any SQLRow) throws(TollgateError) in
                facts.checks.append(
                    .init(
                        run: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                        dataHash: try row.text(3) ?? "", expression: try row.text(4) ?? "", outcome: try row.text(5) ?? "",
                        at: try row.instant(6) ?? Instant(milliseconds: 0)))
            }
            return facts
        }
    }
}
