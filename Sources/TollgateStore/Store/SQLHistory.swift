import Foundation
import TollgateCore

/// The history on any `SQLDatabase`: one write transaction per event recorded, and per batch of
/// events imported, so a killed process leaves whole events or nothing.
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
            try EventBatch(db: db, now: now).store([.init(event: event)])[0]
        }
    }

    /// Imports an export, in transactions of at most `batchSize` events or `batchBytes` of JSON
    /// (a run's report is kilobytes, a deployment a few hundred bytes): large enough that the
    /// commits and look-ups are few, small enough to keep memory flat. Returns how many were
    /// new. A bad line stops the import there with its line number: the batches before it stay,
    /// and running the import again after fixing the line adds only what is missing.
    ///
    /// A thread of its own reads and decodes the lines, a batch or two ahead of the transaction
    /// storing the previous one: decoding was a fifth of an import's time, and the store's
    /// B-tree work (or the server, for PostgreSQL) has the other core meanwhile. Batches are
    /// stored in the file's order, and a bad line is reported only after every batch before it
    /// is stored, exactly as when one thread did both.
    public func importLines(
        from source: LineSource, now: Instant, batchSize: Int = 10_000, batchBytes: Int = 4 << 20
    ) throws(TollgateError) -> (added: Int, known: Int) {
        let decoded = Handoff<Result<[EventBatch.Item], TollgateError>>(capacity: 2)
        let reader = Thread { Self.decode(source, into: decoded, batchSize: batchSize, batchBytes: batchBytes) }
        // The main thread's size: a run's report is decoded by JSONDecoder, which recurses with
        // the JSON's nesting.
        reader.stackSize = 8 << 20
        reader.start()
        defer {
            decoded.cancel()
            // The reader stops at its next line. A regular file gives it at once, so the file is
            // closed before this returns; a pipe or a terminal (standard input, a FIFO) may not
            // until its writer says more, and is not waited for.
            if source.isRegularFile { decoded.waitUntilClosed() }
        }
        var added = 0
        var known = 0
        while let next = decoded.receive() {
            let batch = try next.get()
            let results = try database.write { (db: any SQLConnection) throws(TollgateError) -> [RecordResult] in
                try EventBatch(db: db, now: now).store(batch)
            }
            let new = results.filter { $0 != .known }.count
            added += new
            known += results.count - new
        }
        // Only an optimisation, after the events are stored: a store that refuses it (a role
        // without the right) still has every event, and autovacuum analyses it later.
        if added >= Self.bulkLoad { try? database.refreshStatistics() }
        return (added, known)
    }

    /// Runs on the import's reading thread: sends whole batches, then the error of the first
    /// bad line if there is one (the lines of its unfinished batch are not sent, as before).
    private static func decode(
        _ source: LineSource, into decoded: Handoff<Result<[EventBatch.Item], TollgateError>>, batchSize: Int, batchBytes: Int
    ) {
        defer { decoded.close() }
        var batch: [EventBatch.Item] = []
        batch.reserveCapacity(batchSize)
        var bytes = 0
        let stopped = TollgateError(.history, "the import stopped")
        do throws(TollgateError) {
            try source.forEachLine { (line: Data, location: SourceLocation) throws(TollgateError) in
                if decoded.isCancelled { throw stopped }
                batch.append(.init(event: try HistoryEvent.decode(jsonLine: line, at: location), location: location, line: line))
                bytes += line.count
                if batch.count >= batchSize || bytes >= batchBytes {
                    guard decoded.send(.success(batch)) else { throw stopped }
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                }
            }
            if !batch.isEmpty { _ = decoded.send(.success(batch)) }
        } catch {
            if error != stopped { _ = decoded.send(.failure(error)) }
        }
    }

    /// Events added by one import past which the store's statistics are refreshed.
    static let bulkLoad = 10_000

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

    static let names = [
        "id", "kind", "model", "version", "environment", "at", "recorded_at", "type", "commit_sha", "committed_at", "registered_at", "link", "body"
    ]

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
