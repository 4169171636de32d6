import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

@testable import TollgateStore

/// An import's batches go in by the store's fastest way (PostgreSQL's COPY from 64 rows, multi-row
/// INSERTs otherwise), and must keep every value as it was and every promise of an INSERT.
@Suite("Bulk inserts", .serialized)
struct BulkInsertTests {
    /// `count` events (incident-tracking statements: nothing to link) whose notes hold what
    /// COPY's text format must escape.
    static func events(_ count: Int, from first: Int = 0) -> [HistoryEvent] {
        (first..<first + count).map { n in
            let at = Instant(milliseconds: 1_767_225_600_000 + Int64(n) * 60_000)
            return .incidentTracking(
                IncidentTracking(
                    id: "track-\(n)", model: "credit-risk", at: at, note: "tab\there, line\nthere, back\\slash \\N, cr\r, é ↑ \(n)",
                    recordedAt: at))
        }
    }

    static func write(_ events: [HistoryEvent], to path: String) throws {
        var text = Data()
        for event in events {
            text += try event.jsonLine()
            text += Data("\n".utf8)
        }
        try text.write(to: URL(fileURLWithPath: path))
    }

    @Test("a batch large enough for COPY keeps every value, tabs, newlines and backslashes included", arguments: StoreKind.allCases)
    func valuesSurvive(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let events = Self.events(300)
        try Self.write(events, to: store.path("events.jsonl"))
        let history = try store.open()
        defer { history.database.close() }
        let (added, known) = try history.importLines(from: LineSource(path: store.path("events.jsonl")), now: .now())
        #expect(added == 300 && known == 0)
        var read: [HistoryEvent] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in read.append(event) }
        #expect(read == events)
    }

    @Test("a row another writer stored first fails the whole batch with the caller's words, and nothing of it stays", arguments: StoreKind.allCases)
    func aTakenKeyFailsTheBatch(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.database.close() }
        try history.record(Self.events(1, from: 150)[0], now: .now())
        let conflict = TollgateError(.history, "taken")
        for count in [10, 300] { // below and above PostgreSQL's COPY threshold
            let rows = Self.events(count, from: 150 - count / 2).map { event in
                var columns = EventColumns(event)
                columns.body = String(decoding: (try? event.jsonLine()) ?? Data(), as: UTF8.self)
                return columns.values
            }
            #expect(throws: conflict) {
                try history.database.write { (db: any SQLConnection) throws(TollgateError) in
                    try db.insertNew(into: "tollgate_events", columns: EventColumns.names, rows: rows, conflict: conflict)
                }
            }
        }
        var stored = 0
        try history.forEachEvent(model: nil) { (_: HistoryEvent) throws(TollgateError) in stored += 1 }
        #expect(stored == 1)
    }
}
