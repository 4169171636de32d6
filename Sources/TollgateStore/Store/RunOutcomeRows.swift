import TollgateCore

/// The per-candidate and per-check rows a run adds, which gate pass rates and flaky checks read.
///
/// Written as multi-row inserts: one statement per table and run, not one per check, since each
/// statement is a round trip to a PostgreSQL server.
enum RunOutcomeRows {
    /// Rows per statement, well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
    static let chunk = 1000

    /// - Parameter schema: the schema version being written (a migration backfills only its own tables).
    static func insert(_ run: RunRecord, into db: any SQLConnection, upTo schema: Int = Schema.latest) throws(TollgateError) {
        let at = SQLValue(run.at)
        var candidates: [[SQLValue]] = []
        var checks: [[SQLValue]] = []
        for candidate in run.report.candidates {
            let decision = candidate.decision ?? run.report.decision
            candidates.append([
                .text(run.id), .text(run.model), .text(candidate.version), at, .text(decision.rawValue),
                SQLValue(candidate.createdAt.flatMap(Instant.init(rfc3339:))), .text(run.dataHash)
            ])
            for (position, check) in (candidate.checks ?? []).enumerated() {
                checks.append([.text(run.id), .text(candidate.version), SQLValue(position), .text(check.expression), .text(check.outcome.rawValue)])
            }
        }
        try insertRows(
            "INSERT INTO tollgate_run_candidates (run_id, model, version, at, decision, registered_at, data_hash) VALUES", candidates, into: db)
        try insertRows("INSERT INTO tollgate_run_checks (run_id, version, position, expression, outcome) VALUES", checks, into: db)
        if schema >= 3 { try insertSummary(run, into: db) }
    }

    /// The run's decision and champion, and the value of every metric its checks name, for the
    /// champion and each candidate.
    static func insertSummary(_ run: RunRecord, into db: any SQLConnection) throws(TollgateError) {
        let report = run.report
        try db.execute(
            "INSERT INTO tollgate_runs (run_id, model, at, decision, champion) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [.text(run.id), .text(run.model), SQLValue(run.at), .text(report.decision.rawValue), .text(report.champion.version)])
        var named: [String] = []
        for c in report.candidates {
            for check in c.checks ?? [] where !named.contains(check.metric) { named.append(check.metric) }
        }
        var rows: [[SQLValue]] = []
        var seen = Set<String>()
        for version in [report.champion] + report.candidates where seen.insert(version.version).inserted {
            for metric in named {
                guard let value = version.metrics[metric] else { continue }
                rows.append([.text(run.id), .text(version.version), .text(metric), value.isFinite ? .real(value) : .null])
            }
        }
        try insertRows("INSERT INTO tollgate_run_metrics (run_id, version, metric, value) VALUES", rows, into: db)
    }

    static func insertRows(_ head: String, _ rows: [[SQLValue]], into db: any SQLConnection) throws(TollgateError) {
        guard let width = rows.first?.count else { return }
        let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        var start = 0
        while start < rows.count {
            let end = min(start + chunk, rows.count)
            let values = Array(repeating: tuple, count: end - start).joined(separator: ", ")
            try db.execute("\(head) \(values) ON CONFLICT DO NOTHING", rows[start..<end].flatMap { $0 })
            start = end
        }
    }
}
