import Foundation
import TollgateCore

/// The history on any `SQLDatabase`: one write transaction per event, so a killed process leaves
/// whole events or nothing.
public struct SQLHistory: HistoryStore {
    public let database: any SQLDatabase

    /// Opens the store and upgrades its schema in place.
    public init(database: any SQLDatabase) throws(TollgateError) {
        self.database = database
        do {
            if try Schema.storedVersion(database) != Schema.latest { try Schema.migrate(database) }
        } catch {
            database.close()
            throw error
        }
    }

    /// - Parameter credentials: for a PostgreSQL URL without a user or password.
    public static func open(_ location: HistoryLocation, credentials: PostgresCredentials = PostgresCredentials()) throws(TollgateError) -> SQLHistory {
        switch location {
        case .sqlite(let path): try SQLHistory(database: try SQLiteDatabase(path: path))
        case .postgres(let url): try SQLHistory(database: try PostgresDatabase(url: url, credentials: credentials))
        }
    }

    public func close() { database.close() }

    @discardableResult
    public func record(_ event: HistoryEvent, now: Instant) throws(TollgateError) -> RecordResult {
        try database.write { (db: any SQLConnection) throws(TollgateError) -> RecordResult in
            try Self.insert(event, now: now, location: nil, into: db)
        }
    }

    /// Imports an export, in batches of at most `batchSize` events or `batchBytes` of JSON per
    /// transaction (a run's report is kilobytes, a deployment a few hundred bytes); returns how
    /// many were new. A bad line stops the import there with its line number: the batches before it
    /// stay, and running the import again after fixing the line adds only what is missing.
    public func importLines(
        from source: LineSource, now: Instant, batchSize: Int = 2000, batchBytes: Int = 1 << 20
    ) throws(TollgateError) -> (added: Int, known: Int) {
        var added = 0
        var known = 0
        var batch: [(HistoryEvent, SourceLocation, Data)] = []
        var bytes = 0
        func flush() throws(TollgateError) {
            guard !batch.isEmpty else { return }
            let counts = try database.write { (db: any SQLConnection) throws(TollgateError) -> (Int, Int) in
                var a = 0
                var k = 0
                for (event, location, line) in batch {
                    if case .added = try Self.insert(event, now: now, location: location, line: line, into: db) { a += 1 } else { k += 1 }
                }
                return (a, k)
            }
            added += counts.0
            known += counts.1
            batch.removeAll(keepingCapacity: true)
            bytes = 0
        }
        try source.forEachLine { (line: Data, location: SourceLocation) throws(TollgateError) in
            batch.append((try HistoryEvent.decode(jsonLine: line, at: location), location, line))
            bytes += line.count
            if batch.count >= batchSize || bytes >= batchBytes { try flush() }
        }
        try flush()
        return (added, known)
    }

    /// - Parameter line: the event's JSON as imported; stored as it is when linking added
    ///   nothing, so an export gives back exactly what was imported.
    static func insert(_ event: HistoryEvent, now: Instant, location: SourceLocation?, line: Data? = nil, into db: any SQLConnection) throws(TollgateError)
        -> RecordResult
    {
        let linked: HistoryEvent
        if case .run = event {
            // Runs link to nothing, so the insert itself can say whether the id was new.
            guard try insertEvent(event, line: line, into: db) else { return try known(event, location: location, in: db) }
            linked = event
        } else {
            // Look first: a known event must not be linked again (its incident may since be resolved).
            if try exists(event.id, in: db) { return try known(event, location: location, in: db) }
            linked = try EventLinker(db: db, now: now, location: location).link(event)
            _ = try insertEvent(linked, line: linked == event ? line : nil, into: db)
        }
        if case .run(let run) = linked { try RunOutcomeRows.insert(run, into: db) }
        return .added(linked)
    }

    private static func exists(_ id: String, in db: any SQLConnection) throws(TollgateError) -> Bool {
        try db.scalar("SELECT 1 FROM tollgate_events WHERE id = ?", [.text(id)]) != nil
    }

    /// Inserts the event's row; `false` when its id was already there.
    private static func insertEvent(_ event: HistoryEvent, line: Data?, into db: any SQLConnection) throws(TollgateError) -> Bool {
        var columns = EventColumns(event)
        let json: Data
        if let line { json = line } else { json = try event.jsonLine() }
        columns.body = String(decoding: json, as: UTF8.self)
        try db.execute(
            """
            INSERT INTO tollgate_events (id, kind, model, version, environment, at, recorded_at, type, commit_sha, committed_at, registered_at, link, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, columns.values)
        return try db.changes() == 1
    }

    /// An id already stored: fine when it is the same event, an error when it is another one.
    private static func known(_ event: HistoryEvent, location: SourceLocation?, in db: any SQLConnection) throws(TollgateError) -> RecordResult {
        var existing: (kind: String, model: String, at: Int64)?
        try db.query("SELECT kind, model, at FROM tollgate_events WHERE id = ?", [.text(event.id)]) { (row: any SQLRow) throws(TollgateError) in
            existing = (try row.text(0) ?? "", try row.text(1) ?? "", try row.integer(2) ?? 0)
        }
        guard let existing, existing.kind == event.kind.rawValue, existing.model == event.model, existing.at == event.at.milliseconds else {
            let what = existing.map { "a \($0.kind) of '\($0.model)' at \(Instant(milliseconds: $0.at))" } ?? "another event"
            throw TollgateError(.history, at: location, "event id '\(event.id)' is already recorded as \(what); ids must be unique")
        }
        return .known
    }

    public func forEachEvent(model: String?, _ body: (HistoryEvent) throws(TollgateError) -> Void) throws(TollgateError) {
        let filter = model == nil ? "" : "WHERE model = ?"
        try database.read { (db: any SQLConnection) throws(TollgateError) in
            try db.query(
                """
                SELECT id, body FROM tollgate_events \(filter)
                ORDER BY at, CASE kind WHEN 'run' THEN 0 WHEN 'deployment' THEN 1 WHEN 'incident' THEN 2 WHEN 'resolution' THEN 3 WHEN 'incident_tracking' THEN 4 ELSE 5 END, recorded_at, id
                """, model.map { [.text($0)] } ?? []
            ) { (row: any SQLRow) throws(TollgateError) in
                let id = try row.text(0) ?? ""
                let text = try row.text(1) ?? ""
                try body(try HistoryEvent.decode(jsonLine: Data(text.utf8), at: SourceLocation(file: "\(database.displayName) event \(id)")))
            }
        }
    }
}

/// The queryable columns of an event, in `tollgate_events` order.
struct EventColumns {
    var id, kind, model: String
    var version, environment: String?
    var at, recordedAt: Instant
    var type, commit: String?
    var committedAt, registeredAt: Instant?
    var link: String?
    var body = ""

    init(_ event: HistoryEvent) {
        id = event.id
        kind = event.kind.rawValue
        model = event.model
        at = event.at
        recordedAt = event.recordedAt
        switch event {
        case .run(let r):
            version = r.report.candidates.map(\.version).joined(separator: ",")
        case .deployment(let d):
            version = d.version
            environment = d.environment
            type = d.type.rawValue
            commit = d.commit
            committedAt = d.committedAt
            registeredAt = d.registeredAt
            link = d.remediates
        case .incident(let i):
            environment = i.environment
            link = i.deployment
        case .resolution(let r):
            link = r.incident
        case .incidentTracking:
            break
        case .canaryAnalysis(let c):
            // The analysis id in `link`, so the looks of one analysis are found by index; the
            // verdict in `type`, so DORA counts canary outcomes without decoding bodies.
            version = c.canary
            type = c.verdict
            link = c.analysis
        }
    }

    var values: [SQLValue] {
        [
            .text(id), .text(kind), .text(model), SQLValue(version), SQLValue(environment), SQLValue(at), SQLValue(recordedAt),
            SQLValue(type), SQLValue(commit), SQLValue(committedAt), SQLValue(registeredAt), SQLValue(link), .text(body)
        ]
    }
}
