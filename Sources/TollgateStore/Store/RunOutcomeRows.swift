import TollgateCore

/// The per-candidate and per-check rows a run adds, which gate pass rates and flaky checks read.
///
/// Written as multi-row inserts: one statement per table and run, not one per check, since each
/// statement is a round trip to a PostgreSQL server.
enum RunOutcomeRows {
    /// Rows per statement, well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
    static let chunk = 1000

    static func insert(_ run: RunRecord, into db: any SQLConnection) throws(TollgateError) {
        let at = SQLValue(run.at)
        var candidates: [[SQLValue]] = []
        var checks: [[SQLValue]] = []
        for candidate in run.report.candidates {
            let decision = candidate.decision ?? run.report.decision
            candidates.append([
                .text(run.id), .text(run.model), .text(candidate.version), at, .text(decision.rawValue),
                SQLValue(candidate.createdAt.flatMap(Instant.init(rfc3339:))), .text(run.dataHash),
            ])
            for (position, check) in (candidate.checks ?? []).enumerated() {
                checks.append([.text(run.id), .text(candidate.version), SQLValue(position), .text(check.expression), .text(check.outcome.rawValue)])
            }
        }
        try insertRows(
            "INSERT INTO tollgate_run_candidates (run_id, model, version, at, decision, registered_at, data_hash) VALUES", candidates, into: db)
        try insertRows("INSERT INTO tollgate_run_checks (run_id, version, position, expression, outcome) VALUES", checks, into: db)
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
