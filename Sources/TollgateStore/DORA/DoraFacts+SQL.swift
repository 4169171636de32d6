import TollgateCore

extension SQLHistory {
    /// The facts DORA reads for windows that start at or after `start` and end by `end`.
    ///
    /// A 90-day report over years of history needs few rows: those dated inside the window, and
    /// from before it only the ones a figure inside it refers to. Reading every row since the
    /// beginning made `tollgate dora` take seconds and hundreds of MiB at a million events, so
    /// each model is read with index seeks (`Schema` version 6) and the earlier rows come one by
    /// one: the deployments a remedy or a resolved incident in the window names, the first
    /// production deployment of each commit and version shipped in it (lead time, registration
    /// time), the latest production deployment before it (model age), the incidents blaming a
    /// deployment remedied in it, the first evaluation of each version evaluated in it, and each
    /// model's earliest deployment, incident, evaluation and incident-tracking statement (the
    /// models listed, incidents tracked since). `DoraCalculator` gives the same figures from
    /// these rows as from all of them; with `start` nil every row before `end` is read.
    public func doraFacts(model: String?, since start: Instant?, until end: Instant) throws(TollgateError) -> DoraFacts {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> DoraFacts in
            var facts = DoraFacts()
            let names: [String]
            if let model { names = [model] } else { names = try Self.models(db) }
            for name in names {
                try DoraFactsReader(db: db, model: name, start: start, end: end).read(into: &facts)
            }
            return facts
        }
    }

    /// Every model with an event, by a loose index scan (one seek per model, not one row per event).
    static func models(_ db: any SQLConnection) throws(TollgateError) -> [String] {
        var models: [String] = []
        try db.query(
            """
            WITH RECURSIVE m(model) AS (
                SELECT MIN(model) FROM tollgate_events
                UNION ALL SELECT (SELECT MIN(e.model) FROM tollgate_events e WHERE e.model > m.model) FROM m WHERE m.model IS NOT NULL
            ) SELECT model FROM m WHERE model IS NOT NULL
            """, []
        ) { (row: any SQLRow) throws(TollgateError) in if let name = try row.text(0) { models.append(name) } }
        return models
    }
}

/// One model's share of `DoraFacts`, query by query.
struct DoraFactsReader {
    let db: any SQLConnection
    let model: String
    let start: Instant?
    let end: Instant

    /// The rows inside the window, or all rows before `end` when there is no `start`.
    private func inWindow(_ table: String = "") -> String { start == nil ? "\(table)at < :end" : "\(table)at >= :start AND \(table)at < :end" }

    /// Runs `sql`, binding `:model`, `:start` and `:end` wherever they appear.
    private func query(_ sql: String, _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError) {
        var text = ""
        var arguments: [SQLValue] = []
        var rest = Substring(sql)
        let values: [(String, SQLValue)] = [(":model", .text(model)), (":start", SQLValue(start)), (":end", SQLValue(end))]
        while let colon = rest.firstIndex(of: ":") {
            text += rest[..<colon]
            rest = rest[colon...]
            guard let named = values.first(where: { rest.hasPrefix($0.0) }) else {
                text += ":"
                rest = rest.dropFirst()
                continue
            }
            text += "?"
            arguments.append(named.1)
            rest = rest.dropFirst(named.0.count)
        }
        try db.query(text + String(rest), arguments, body)
    }

    /// Earlier rows only when there is a window to be earlier than.
    private func before(_ sql: String) -> String { start == nil ? "" : "\nUNION " + sql }

    func read(into facts: inout DoraFacts) throws(TollgateError) {
        try deployments(into: &facts)
        try incidents(into: &facts)
        try incidentTracking(into: &facts)
        try evaluations(into: &facts)
        try checks(into: &facts)
        try canaryAnalyses(into: &facts)
    }

    private static let deploymentColumns = "id, model, version, environment, at, type, commit_sha, committed_at, registered_at, link, recorded_at"

    /// The first production deployment of each `column` value (commit, version) shipped in the window.
    private func firstProduction(by column: String) -> String {
        """
        SELECT (SELECT p.id FROM tollgate_events p WHERE p.model = :model AND p.kind = 'deployment' AND p.environment = 'production'
                AND p.\(column) = w.\(column) ORDER BY p.at, p.recorded_at, p.id LIMIT 1)
            FROM tollgate_events w WHERE w.model = :model AND w.kind = 'deployment' AND w.environment = 'production'
                AND w.\(column) IS NOT NULL AND w.at >= :start AND w.at < :end
        """
    }

    private func deployments(into facts: inout DoraFacts) throws(TollgateError) {
        let columns = Self.deploymentColumns
        try query(
            """
            SELECT \(columns) FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND \(inWindow())
            """
                + before(
                    """
                    SELECT \(columns) FROM tollgate_events WHERE kind = 'deployment' AND at < :start AND id IN (
                        SELECT link FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND link IS NOT NULL AND at >= :start AND at < :end
                        UNION SELECT i.link FROM tollgate_events r JOIN tollgate_events i ON i.id = r.link AND i.kind = 'incident'
                            WHERE r.model = :model AND r.kind = 'resolution' AND r.at >= :start AND r.at < :end
                        UNION \(firstProduction(by: "commit_sha"))
                        UNION \(firstProduction(by: "version"))
                        UNION SELECT (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND environment = 'production'
                            AND at < :start ORDER BY at DESC, recorded_at DESC, id DESC LIMIT 1)
                        UNION SELECT (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'deployment'
                            AND at < :start ORDER BY at, recorded_at, id LIMIT 1)
                    )
                    """) + "\nORDER BY at, recorded_at, id"
        ) { (row: any SQLRow) throws(TollgateError) in
            let at = try row.instant(4) ?? Instant(milliseconds: 0)
            facts.deployments.append(
                Deployment(
                    id: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                    environment: try row.text(3) ?? Deployment.production, at: at,
                    type: Deployment.Kind(rawValue: try row.text(5) ?? "") ?? .planned, commit: try row.text(6),
                    committedAt: try row.instant(7), registeredAt: try row.instant(8), remediates: try row.text(9), recordedAt: at))
        }
    }

    /// Incidents with their resolution, if made before the window's end (a later one is not yet known).
    private func incidents(into facts: inout DoraFacts) throws(TollgateError) {
        try query(
            """
            SELECT e.id, e.model, e.at, e.link, r.at FROM tollgate_events e
            LEFT JOIN tollgate_events r ON r.kind = 'resolution' AND r.link = e.id AND r.at < :end
            WHERE e.id IN (
                SELECT id FROM tollgate_events WHERE model = :model AND kind = 'incident' AND \(inWindow())
            """
                + before(
                    """
                    SELECT link FROM tollgate_events WHERE model = :model AND kind = 'resolution' AND at >= :start AND at < :end
                        UNION SELECT i.id FROM tollgate_events w JOIN tollgate_events i ON i.link = w.link AND i.kind = 'incident'
                            WHERE w.model = :model AND w.kind = 'deployment' AND w.link IS NOT NULL AND w.at >= :start AND w.at < :end
                        UNION SELECT (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'incident' AND at < :start ORDER BY at, id LIMIT 1)
                    """) + "\n) ORDER BY e.at, e.id"
        ) { (row: any SQLRow) throws(TollgateError) in
            facts.incidents.append(
                .init(
                    id: try row.text(0) ?? "", model: try row.text(1) ?? "", at: try row.instant(2) ?? Instant(milliseconds: 0),
                    deployment: try row.text(3), resolvedAt: try row.instant(4)))
        }
    }

    private func incidentTracking(into facts: inout DoraFacts) throws(TollgateError) {
        try query(
            "SELECT id, model, at FROM tollgate_events WHERE model = :model AND kind = 'incident_tracking' AND \(inWindow())"
                + before(
                    "SELECT id, model, at FROM tollgate_events WHERE id = (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'incident_tracking' AND at < :start ORDER BY at, id LIMIT 1)"
                )
                + "\nORDER BY at, id"
        ) { (row: any SQLRow) throws(TollgateError) in
            let at = try row.instant(2) ?? Instant(milliseconds: 0)
            facts.incidentTracking.append(.init(id: try row.text(0) ?? "", model: try row.text(1) ?? "", at: at, recordedAt: at))
        }
    }

    /// Each candidate of each run: in the window, the first of each version evaluated in it, and the model's first run.
    private func evaluations(into facts: inout DoraFacts) throws(TollgateError) {
        let columns = "c.run_id, c.model, c.version, c.at, c.decision, c.data_hash"
        try query(
            "SELECT \(columns) FROM tollgate_run_candidates c WHERE c.model = :model AND \(inWindow("c."))"
                + before(
                    """
                    SELECT \(columns) FROM tollgate_run_candidates w JOIN tollgate_run_candidates c ON c.version = w.version AND c.run_id = (
                            SELECT p.run_id FROM tollgate_run_candidates p WHERE p.model = :model AND p.version = w.version ORDER BY p.at, p.run_id LIMIT 1)
                        WHERE w.model = :model AND w.at >= :start AND w.at < :end
                    UNION SELECT \(columns) FROM tollgate_run_candidates c WHERE c.run_id = (
                        SELECT run_id FROM tollgate_run_candidates WHERE model = :model AND at < :start ORDER BY at, run_id LIMIT 1)
                    """) + "\nORDER BY at, run_id, version"
        ) { (row: any SQLRow) throws(TollgateError) in
            facts.evaluations.append(
                .init(
                    run: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                    at: try row.instant(3) ?? Instant(milliseconds: 0), passed: try row.text(4) == Decision.pass.rawValue,
                    dataHash: try row.text(5) ?? ""))
        }
    }

    /// Check outcomes count inside the window only.
    private func checks(into facts: inout DoraFacts) throws(TollgateError) {
        try query(
            """
            SELECT k.run_id, c.model, k.version, c.data_hash, k.expression, k.outcome, c.at
            FROM tollgate_run_checks k JOIN tollgate_run_candidates c ON c.run_id = k.run_id AND c.version = k.version
            WHERE c.model = :model AND \(inWindow("c.")) ORDER BY c.at, k.run_id, k.position
            """
        ) { (row: any SQLRow) throws(TollgateError) in
            facts.checks.append(
                .init(
                    run: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                    dataHash: try row.text(3) ?? "", expression: try row.text(4) ?? "", outcome: try row.text(5) ?? "",
                    at: try row.instant(6) ?? Instant(milliseconds: 0)))
        }
    }

    /// Each canary analysis as its latest look before the end left it: those looked at in the
    /// window, and the model's first (so a model known only by an old analysis is still listed).
    private func canaryAnalyses(into facts: inout DoraFacts) throws(TollgateError) {
        var looks: [DoraFacts.CanaryOutcome] = []
        try query(
            """
            SELECT link, model, at, type FROM tollgate_events WHERE model = :model AND kind = 'canary_analysis' AND at < :end AND link IN (
                SELECT link FROM tollgate_events WHERE model = :model AND kind = 'canary_analysis' AND \(inWindow())
            """
                + before(
                    "SELECT (SELECT link FROM tollgate_events WHERE model = :model AND kind = 'canary_analysis' AND at < :start ORDER BY at, recorded_at, id LIMIT 1)"
                ) + "\n) ORDER BY at, recorded_at, id"
        ) { (row: any SQLRow) throws(TollgateError) in
            looks.append(
                .init(
                    analysis: try row.text(0) ?? "", model: try row.text(1) ?? "", at: try row.instant(2) ?? Instant(milliseconds: 0),
                    verdict: try row.text(3) ?? ""))
        }
        let last = Dictionary(looks.enumerated().map { ($0.element.analysis, $0.offset) }, uniquingKeysWith: { max($0, $1) })
        facts.canaryAnalyses += looks.enumerated().filter { last[$0.element.analysis] == $0.offset }.map(\.element)
    }
}
