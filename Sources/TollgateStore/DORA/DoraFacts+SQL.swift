import Foundation
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
    ///
    /// Models are independent, so on a store whose readers run side by side (SQLite) they are
    /// read in two lanes on one snapshot when there are two cores: at a million events that took
    /// `tollgate dora` from 0.85-0.98 s to 0.69-0.77 s, for 9 MiB more (96-98 MiB). More lanes
    /// were not measured. The facts come out in model order whatever the number of lanes.
    public func doraFacts(model: String?, since start: Instant?, until end: Instant) throws(TollgateError) -> DoraFacts {
        try doraFacts(model: model, since: start, until: end, lanes: model == nil ? min(2, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1)
    }

    /// Events are only ever added, each commit adding at least one, and a migration bumps the
    /// schema's version: together they name the snapshot a lane reads.
    static let snapshotMark = """
        SELECT COALESCE((SELECT MAX(rowid) FROM tollgate_events), 0) || '/' || COALESCE((SELECT MAX(version) FROM tollgate_schema), 0)
        """

    func doraFacts(model: String?, since start: Instant?, until end: Instant, lanes: Int) throws(TollgateError) -> DoraFacts {
        let parts = try database.readInLanes(lanes, mark: Self.snapshotMark) {
            (lane: Int, lanes: Int, db: any SQLConnection) throws(TollgateError) -> (models: Int, facts: [DoraFacts]) in
            let names: [String]
            if let model { names = [model] } else { names = try Self.models(db) }
            var parts: [DoraFacts] = []
            for index in stride(from: lane, to: names.count, by: lanes) {
                var facts = DoraFacts()
                try DoraFactsReader(db: db, model: names[index], start: start, end: end).read(into: &facts)
                parts.append(facts)
            }
            return (names.count, parts)
        }
        // One snapshot gives every lane the same models; anything else is a bug, not a report.
        guard Set(parts.map(\.models)).count == 1 else {
            throw TollgateError(.history, at: SourceLocation(file: database.displayName), "the DORA read's lanes saw different models; nothing was reported")
        }
        // Lane k holds models k, k + n, k + 2n…: put them back in order.
        let models = parts.map(\.facts.count).reduce(0, +)
        return DoraFacts(concatenating: (0..<models).map { parts[$0 % parts.count].facts[$0 / parts.count] })
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
    /// `extra` binds the plain `?` placeholders, in the order they appear among the named ones.
    private func query(_ sql: String, _ extra: [SQLValue] = [], _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError) {
        var text = ""
        var arguments: [SQLValue] = []
        var extra = extra[...]
        var rest = Substring(sql)
        let values: [(String, SQLValue)] = [(":model", .text(model)), (":start", SQLValue(start)), (":end", SQLValue(end))]
        while let mark = rest.firstIndex(where: { $0 == ":" || $0 == "?" }) {
            text += rest[..<mark]
            rest = rest[mark...]
            if rest.first == "?" {
                text += "?"
                arguments.append(extra.popFirst() ?? .null)
                rest = rest.dropFirst()
                continue
            }
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

    /// The window's deployments, then the earlier ones its figures name: remedied deployments,
    /// deployments blamed for incidents resolved in the window, the first production deployment
    /// of each commit and version shipped in it, the latest production deployment before it and
    /// the model's first. The window is read once; what it names is looked up by value (index
    /// seeks, no table rows for a value never shipped before) rather than by re-reading the
    /// window inside correlated subqueries, which was most of `tollgate dora`'s time.
    private func deployments(into facts: inout DoraFacts) throws(TollgateError) {
        let window = try deploymentRows(
            "SELECT \(Self.deploymentColumns) FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND \(inWindow()) ORDER BY at, recorded_at, id"
        )
        guard start != nil else {
            facts.deployments += window.map(\.deployment)
            return
        }
        var wanted = Set(window.compactMap(\.deployment.remediates).map(ExactText.init))
        try query(
            """
            SELECT i.link FROM tollgate_events r JOIN tollgate_events i ON i.id = r.link AND i.kind = 'incident'
                WHERE r.model = :model AND r.kind = 'resolution' AND r.at >= :start AND r.at < :end
            UNION SELECT (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND environment = 'production'
                AND at < :start ORDER BY at DESC, recorded_at DESC, id DESC LIMIT 1)
            UNION SELECT (SELECT id FROM tollgate_events WHERE model = :model AND kind = 'deployment' AND at < :start ORDER BY at, recorded_at, id LIMIT 1)
            """
        ) { (row: any SQLRow) throws(TollgateError) in if let id = try row.text(0) { wanted.insert(ExactText(id)) } }
        let production = window.map(\.deployment).filter(\.isProduction)
        wanted.formUnion(try firstEarlierProduction(by: "commit_sha", Set(production.compactMap(\.commit).map(ExactText.init))))
        wanted.formUnion(try firstEarlierProduction(by: "version", Set(production.map(\.version).map(ExactText.init))))
        var earlier: [DeploymentRow] = []
        for part in Self.chunks(wanted) {
            earlier += try deploymentRows(
                "SELECT \(Self.deploymentColumns) FROM tollgate_events WHERE kind = 'deployment' AND at < :start AND id IN \(Self.list(part.count))",
                part)
        }
        earlier.sort(by: DeploymentRow.precedes)
        facts.deployments += earlier.map(\.deployment) + window.map(\.deployment)
    }

    /// For each value of `column` (a commit, a version) shipped in the window, its first production
    /// deployment before the window, if any: found through the partial index on `(model, column, at)`.
    private func firstEarlierProduction(by column: String, _ values: Set<ExactText>) throws(TollgateError) -> [ExactText] {
        var first: [ExactText: DeploymentRow] = [:]
        for part in Self.chunks(values) {
            let rows = try deploymentRows(
                // A join with the values, not `IN (…)`: without statistics SQLite would read the
                // model's deployments by time instead of seeking each value in the partial index.
                """
                WITH v(value) AS (VALUES \(Array(repeating: "(?)", count: part.count).joined(separator: ", ")))
                SELECT \(Self.deploymentColumns.split(separator: ", ").map { "p.\($0)" }.joined(separator: ", "))
                    FROM v JOIN tollgate_events p ON p.model = :model AND p.kind = 'deployment' AND p.\(column) = v.value AND p.at < :start
                    WHERE p.environment = 'production'
                """, part)
            for row in rows {
                let value = ExactText(column == "version" ? row.deployment.version : row.deployment.commit ?? "")
                if let known = first[value], !DeploymentRow.precedes(row, known) { continue }
                first[value] = row
            }
        }
        return first.values.map { ExactText($0.deployment.id) }
    }

    /// A deployment as read, with the `recorded_at` it is ordered by.
    private struct DeploymentRow {
        var deployment: Deployment
        var recordedAt: Instant

        /// SQL's `ORDER BY at, recorded_at, id`, ids compared byte by byte as SQLite does.
        static func precedes(_ a: DeploymentRow, _ b: DeploymentRow) -> Bool {
            if a.deployment.at != b.deployment.at { return a.deployment.at < b.deployment.at }
            if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
            return a.deployment.id.utf8.lexicographicallyPrecedes(b.deployment.id.utf8)
        }
    }

    private func deploymentRows(_ sql: String, _ extra: [SQLValue] = []) throws(TollgateError) -> [DeploymentRow] {
        var rows: [DeploymentRow] = []
        try query(sql, extra) { (row: any SQLRow) throws(TollgateError) in
            let at = try row.instant(4) ?? Instant(milliseconds: 0)
            rows.append(
                DeploymentRow(
                    deployment: Deployment(
                        id: try row.text(0) ?? "", model: try row.text(1) ?? "", version: try row.text(2) ?? "",
                        environment: try row.text(3) ?? Deployment.production, at: at,
                        type: Deployment.Kind(rawValue: try row.text(5) ?? "") ?? .planned, commit: try row.text(6),
                        committedAt: try row.instant(7), registeredAt: try row.instant(8), remediates: try row.text(9), recordedAt: at),
                    recordedAt: try row.instant(10) ?? at))
        }
        return rows
    }

    /// Values in lists of at most 512, each a statement's list, well under both stores' limits.
    /// A list is padded with NULLs (which match nothing) to a power of two: prepared statements
    /// are cached by their text, and ten lengths keep that cache small where any length would
    /// leave a statement behind for each.
    private static func chunks(_ values: Set<ExactText>) -> [[SQLValue]] {
        let all = values.map(\.text).sorted()
        return stride(from: 0, to: all.count, by: 512).map { start in
            var part = all[start..<min(start + 512, all.count)].map(SQLValue.text)
            let padded = 1 << (Int.bitWidth - (part.count - 1).leadingZeroBitCount)
            part += Array(repeating: .null, count: max(padded, 1) - part.count)
            return part
        }
    }

    private static func list(_ count: Int) -> String { "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")" }

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

/// Text compared byte for byte, as SQL compares it: Swift's `String` equality holds canonically
/// equivalent spellings equal (é as one scalar or two), which would merge two ids the store keeps apart.
struct ExactText: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    func hash(into hasher: inout Hasher) {
        var bytes = text
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
