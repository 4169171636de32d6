import Foundation
import TollgateCore

/// Stores a batch of events inside the caller's transaction, checked and linked in order as if
/// recorded one by one, with a few statements per thousand events instead of several per event.
///
/// Importing one event at a time cost a lookup for its id, one for each link and an insert: on
/// PostgreSQL each is a round trip, on SQLite a statement. Here the rows the batch's events name
/// (their own ids, the deployments and incidents they link to) are read up front, events added
/// earlier in the batch are kept in memory, and the rows go in as multi-row inserts. Only an
/// implicit link (DevLake's "latest deployment before") asks the store, after writing what is
/// pending so that the answer sees it.
final class EventBatch: EventLookup {
    struct Item {
        var event: HistoryEvent
        var location: SourceLocation?
        /// The JSON as imported, stored as it is when linking adds nothing.
        var line: Data?
    }

    let db: any SQLConnection
    let now: Instant
    /// The kind, model and time of each event the batch names, stored or added by the batch.
    private var known: [String: (kind: String, model: String, at: Instant)] = [:]
    private var resolved = Set<String>()
    private var pending: [EventColumns] = []
    private var pendingRuns: [RunRecord] = []

    /// Ids per look-up statement.
    static let chunk = 1000

    init(db: any SQLConnection, now: Instant) {
        self.db = db
        self.now = now
    }

    /// Each item's result, in order. Throws at the first bad item; the caller's transaction
    /// then rolls the whole batch back.
    func store(_ items: [Item]) throws(TollgateError) -> [RecordResult] {
        try readAhead(items)
        var results: [RecordResult] = []
        results.reserveCapacity(items.count)
        for item in items { results.append(try add(item)) }
        try flush()
        return results
    }

    private func add(_ item: Item) throws(TollgateError) -> RecordResult {
        let event = item.event
        // A known event is not linked again (its incident may since be resolved).
        if let existing = known[event.id] {
            guard existing.kind == event.kind.rawValue, existing.model == event.model, existing.at == event.at else {
                throw TollgateError(
                    .history, at: item.location,
                    "event id '\(event.id)' is already recorded as a \(existing.kind) of '\(existing.model)' at \(existing.at); ids must be unique")
            }
            return .known
        }
        let linked = try EventLinker(history: self, now: now, location: item.location).link(event)
        var columns = EventColumns(linked)
        if let line = item.line, linked == event {
            columns.body = String(decoding: line, as: UTF8.self)
        } else {
            columns.body = String(decoding: try linked.jsonLine(), as: UTF8.self)
        }
        pending.append(columns)
        known[linked.id] = (linked.kind.rawValue, linked.model, linked.at)
        if case .resolution(let r) = linked { resolved.insert(r.incident) }
        if case .run(let run) = linked { pendingRuns.append(run) }
        return .added(linked)
    }

    /// Reads the stored rows of every id the batch holds or links to.
    private func readAhead(_ items: [Item]) throws(TollgateError) {
        var ids = Set<String>()
        var incidents = Set<String>()
        for item in items {
            ids.insert(item.event.id)
            switch item.event {
            case .deployment(let d): if let target = d.remediates { ids.insert(target) }
            case .incident(let i): if let target = i.deployment { ids.insert(target) }
            case .resolution(let r):
                ids.insert(r.incident)
                incidents.insert(r.incident)
            case .run, .incidentTracking, .canaryAnalysis: break
            }
        }
        try inChunks(ids, "SELECT id, kind, model, at FROM tollgate_events WHERE id IN") { (row: any SQLRow) throws(TollgateError) in
            let id = try row.text(0) ?? ""
            known[id] = (try row.text(1) ?? "", try row.text(2) ?? "", try row.instant(3) ?? Instant(milliseconds: 0))
        }
        try inChunks(incidents, "SELECT link FROM tollgate_events WHERE kind = 'resolution' AND link IN") { (row: any SQLRow) throws(TollgateError) in
            if let incident = try row.text(0) { resolved.insert(incident) }
        }
    }

    private func inChunks(_ values: Set<String>, _ head: String, _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError) {
        let all = Array(values)
        for start in stride(from: 0, to: all.count, by: Self.chunk) {
            let part = all[start..<min(start + Self.chunk, all.count)]
            try db.query("\(head) (\(Array(repeating: "?", count: part.count).joined(separator: ", ")))", part.map(SQLValue.text), body)
        }
    }

    /// Inserts what is pending. Every row must be new: a row another writer added meanwhile
    /// (PostgreSQL's read-committed) rolls the batch back rather than being counted twice.
    private func flush() throws(TollgateError) {
        if !pending.isEmpty {
            try db.insertNew(
                into: "tollgate_events", columns: EventColumns.names, rows: pending.map(\.values),
                conflict: TollgateError(
                    .history,
                    "another process recorded the same events (or resolved the same incident) at the same time; nothing of this batch was stored, try again"
                ))
        }
        pending.removeAll(keepingCapacity: true)
        for run in pendingRuns { try RunOutcomeRows.insert(run, into: db) }
        pendingRuns.removeAll()
    }

    func event(_ id: String, kind: HistoryEvent.Kind) throws(TollgateError) -> (model: String, at: Instant)? {
        guard let found = known[id], found.kind == kind.rawValue else { return nil }
        return (found.model, found.at)
    }

    func isResolved(incident: String) throws(TollgateError) -> Bool { resolved.contains(incident) }

    func latestDeployment(of model: String, in environment: String, before time: Instant) throws(TollgateError) -> String? {
        try flush()
        var id: String?
        try db.query(
            """
            SELECT id FROM tollgate_events WHERE model = ? AND kind = 'deployment' AND environment = ? AND at < ?
            ORDER BY at DESC, recorded_at DESC, id DESC LIMIT 1
            """, [.text(model), .text(environment), SQLValue(time)]
        ) { (row: any SQLRow) throws(TollgateError) in id = try row.text(0) }
        return id
    }
}
