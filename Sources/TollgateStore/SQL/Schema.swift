import Foundation
import TollgateCore

/// The history's tables, as an ordered list of migrations that upgrade any older store in place.
///
/// Every event keeps its exported JSON line (`body`) beside the columns DORA reads, so export
/// gives back exactly what was recorded and the metrics never parse JSON. Tables are derived
/// from events only in later migrations, which backfill them from the bodies already stored.
public enum Schema {
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        let apply: @Sendable (any SQLConnection) throws(TollgateError) -> Void
    }

    public static let migrations: [Migration] = [
        Migration(version: 1, name: "events") { (db: any SQLConnection) throws(TollgateError) in
            try db.execute(
                """
                CREATE TABLE tollgate_events (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('run', 'deployment', 'incident', 'resolution')),
                    model TEXT NOT NULL,
                    version TEXT,
                    environment TEXT,
                    at BIGINT NOT NULL,
                    recorded_at BIGINT NOT NULL,
                    type TEXT,
                    commit_sha TEXT,
                    committed_at BIGINT,
                    registered_at BIGINT,
                    link TEXT,
                    body TEXT NOT NULL
                )
                """)
            try db.execute("CREATE INDEX tollgate_events_by_model ON tollgate_events (model, kind, environment, at)")
            try db.execute("CREATE INDEX tollgate_events_by_link ON tollgate_events (link)")
            // An incident is resolved once, whichever process gets there first.
            try db.execute("CREATE UNIQUE INDEX tollgate_resolved_once ON tollgate_events (link) WHERE kind = 'resolution'")
        },
        Migration(version: 2, name: "run outcomes") { (db: any SQLConnection) throws(TollgateError) in
            try db.execute(
                """
                CREATE TABLE tollgate_run_candidates (
                    run_id TEXT NOT NULL REFERENCES tollgate_events (id),
                    model TEXT NOT NULL,
                    version TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    decision TEXT NOT NULL,
                    registered_at BIGINT,
                    data_hash TEXT NOT NULL,
                    PRIMARY KEY (run_id, version)
                )
                """)
            try db.execute(
                """
                CREATE TABLE tollgate_run_checks (
                    run_id TEXT NOT NULL REFERENCES tollgate_events (id),
                    version TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    expression TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    PRIMARY KEY (run_id, version, position)
                )
                """)
            try db.execute("CREATE INDEX tollgate_run_candidates_by_model ON tollgate_run_candidates (model, at)")
            // Backfill: runs recorded before this table existed.
            for run in try storedRuns(db) { try RunOutcomeRows.insert(run, into: db, upTo: 2) }
        },
        Migration(version: 3, name: "run summaries") { (db: any SQLConnection) throws(TollgateError) in
            // What the site's index and model pages show of every run, so a rebuild reads a few
            // numbers per run instead of decoding every report.
            try db.execute(
                """
                CREATE TABLE tollgate_runs (
                    run_id TEXT PRIMARY KEY REFERENCES tollgate_events (id),
                    model TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    decision TEXT NOT NULL,
                    champion TEXT NOT NULL
                )
                """)
            try db.execute(
                """
                CREATE TABLE tollgate_run_metrics (
                    run_id TEXT NOT NULL REFERENCES tollgate_events (id),
                    version TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    value DOUBLE PRECISION,
                    PRIMARY KEY (run_id, version, metric)
                )
                """)
            try db.execute("CREATE INDEX tollgate_runs_by_model ON tollgate_runs (model, at)")
            for run in try storedRuns(db) { try RunOutcomeRows.insertSummary(run, into: db) }
        },
        Migration(version: 4, name: "incident tracking events") { (db: any SQLConnection) throws(TollgateError) in
            // A fifth event kind. Only the kind's CHECK widens: every stored row already passes it.
            try widenKinds(
                db, from: ["run", "deployment", "incident", "resolution"], adding: "incident_tracking", for: "incident tracking events")
        },
        Migration(version: 5, name: "canary analysis events") { (db: any SQLConnection) throws(TollgateError) in
            // A sixth: one look of a canary analysis, its looks linked by the analysis id (`link`).
            try widenKinds(
                db, from: ["run", "deployment", "incident", "resolution", "incident_tracking"], adding: "canary_analysis", for: "canary analysis events")
        },
        Migration(version: 6, name: "indexes for bounded DORA reads") { (db: any SQLConnection) throws(TollgateError) in
            // `doraFacts(since:)` seeks each model's rows of a kind by time; the old index put the
            // environment before the time, so a window read scanned all of a model's deployments.
            try db.execute("DROP INDEX tollgate_events_by_model")
            try db.execute("CREATE INDEX tollgate_events_by_model ON tollgate_events (model, kind, at)")
            // The first deployment of a commit or version, and the first evaluation of a version.
            try db.execute("CREATE INDEX tollgate_deployments_by_commit ON tollgate_events (model, commit_sha, at) WHERE kind = 'deployment'")
            try db.execute("CREATE INDEX tollgate_deployments_by_version ON tollgate_events (model, version, at) WHERE kind = 'deployment'")
            try db.execute("CREATE INDEX tollgate_run_candidates_by_version ON tollgate_run_candidates (model, version, at)")
        }
    ]

    public static var latest: Int { migrations.last!.version }

    /// Widens the event table's kind CHECK from `kinds` to `kinds + [kind]`, in the caller's
    /// transaction. Every stored row already passes the wider check, so nothing is rewritten.
    static func widenKinds(_ db: any SQLConnection, from kinds: [String], adding kind: String, for what: String) throws(TollgateError) {
        func check(_ kinds: [String]) -> String { "kind IN (" + kinds.map { "'\($0)'" }.joined(separator: ", ") + ")" }
        let wider = check(kinds + [kind])
        if db is SQLiteDatabase.Connection {
            // SQLite cannot alter a CHECK; its documented way for a change no stored row can
            // break (sqlite.org/lang_altertable.html §7, the simpler procedure) edits the
            // table's schema text and bumps the schema version, inside this transaction.
            let version = try db.scalar("PRAGMA schema_version") ?? 0
            try db.execute("PRAGMA writable_schema = ON")
            try db.execute(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'tollgate_events'",
                [.text(check(kinds)), .text(wider)])
            try db.execute("PRAGMA schema_version = \(version + 1)")
            try db.execute("PRAGMA writable_schema = OFF")
            // A table whose text differs from the literal above (written by another tool, or
            // edited) would be left unchanged while the version is recorded, and every event of
            // the new kind refused from then on: check the edit took.
            var widened = false
            try db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tollgate_events'", []) {
                (row: any SQLRow) throws(TollgateError) in
                if try row.text(0)?.contains(wider) == true { widened = true }
            }
            guard widened else {
                throw TollgateError(
                    .history,
                    "the history's event table is not the one Tollgate wrote (its kind check was not found), so \(what) cannot be added; nothing was changed"
                )
            }
            var ok = false
            try db.query("PRAGMA integrity_check", []) { (row: any SQLRow) throws(TollgateError) in
                if try row.text(0) == "ok" { ok = true }
            }
            guard ok else { throw TollgateError(.history, "the history failed SQLite's integrity check while adding \(what)") }
        } else {
            try db.execute("ALTER TABLE tollgate_events DROP CONSTRAINT tollgate_events_kind_check")
            try db.execute("ALTER TABLE tollgate_events ADD CONSTRAINT tollgate_events_kind_check CHECK (\(wider))")
        }
    }

    /// Every run already stored, for a migration that derives a table from them.
    static func storedRuns(_ db: any SQLConnection) throws(TollgateError) -> [RunRecord] {
        var bodies: [(String, String)] = []
        try db.query("SELECT id, body FROM tollgate_events WHERE kind = 'run' ORDER BY at", []) { (row: any SQLRow) throws(TollgateError) in
            bodies.append((try row.text(0) ?? "", try row.text(1) ?? ""))
        }
        var runs: [RunRecord] = []
        for (id, body) in bodies {
            if case .run(let run) = try HistoryEvent.decode(jsonLine: Data(body.utf8), at: SourceLocation(file: "history event \(id)")) { runs.append(run) }
        }
        return runs
    }

    /// The store's schema version without writing anything; 0 for a new store.
    static func storedVersion(_ database: any SQLDatabase) throws(TollgateError) -> Int {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> Int in
            var exists = false
            try db.query(database.tableExistsQuery, [.text("tollgate_schema")]) { (_: any SQLRow) throws(TollgateError) in exists = true }
            return exists ? Int(try db.scalar("SELECT MAX(version) FROM tollgate_schema") ?? 0) : 0
        }
    }

    /// The store's schema version; 0 when it has no tables yet.
    static func version(_ db: any SQLConnection) throws(TollgateError) -> Int {
        try db.execute("CREATE TABLE IF NOT EXISTS tollgate_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        return Int(try db.scalar("SELECT MAX(version) FROM tollgate_schema") ?? 0)
    }

    /// Brings the store up to `target`, each step in the same transaction as its version row.
    public static func migrate(_ database: any SQLDatabase, to target: Int = Schema.latest) throws(TollgateError) {
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            if let lock = database.migrationLock { try db.execute(lock) }
            let current = try version(db)
            guard current <= latest else {
                throw TollgateError(
                    .history, at: SourceLocation(file: database.displayName),
                    "this history has schema version \(current), newer than this tollgate understands (\(latest)); upgrade tollgate")
            }
            for migration in migrations where migration.version > current && migration.version <= target {
                try migration.apply(db)
                try db.execute(
                    "INSERT INTO tollgate_schema (version, name, applied_at) VALUES (?, ?, ?)",
                    [SQLValue(migration.version), .text(migration.name), SQLValue(Instant.now())])
            }
        }
    }
}
