import TollgateCore

/// The per-candidate and per-check rows a run adds, which gate pass rates and flaky checks read.
enum RunOutcomeRows {
    static func insert(_ run: RunRecord, into db: any SQLConnection) throws(TollgateError) {
        let at = run.at
        for candidate in run.report.candidates {
            let decision = candidate.decision ?? run.report.decision
            try db.execute(
                """
                INSERT INTO tollgate_run_candidates (run_id, model, version, at, decision, registered_at, data_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [.text(run.id), .text(run.model), .text(candidate.version), SQLValue(at), .text(decision.rawValue),
                 SQLValue(candidate.createdAt.flatMap(Instant.init(rfc3339:))), .text(run.dataHash)])
            for (position, check) in (candidate.checks ?? []).enumerated() {
                try db.execute(
                    "INSERT INTO tollgate_run_checks (run_id, version, position, expression, outcome) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [.text(run.id), .text(candidate.version), SQLValue(position), .text(check.expression), .text(check.outcome.rawValue)])
            }
        }
    }
}
