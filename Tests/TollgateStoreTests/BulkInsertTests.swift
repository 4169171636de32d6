import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateTestSupport

@testable import TollgateStore

/// An import's batches go in by the store's fastest way (PostgreSQL's COPY from 64 rows, on a thread
/// no Swift task runs on, as the command line's; multi-row INSERTs otherwise), and must keep every
/// value as it was and every promise of an INSERT. The tests work on a thread of their own so that
/// COPY is the path taken.
@Suite("Bulk inserts", .serialized)
struct BulkInsertTests {
    /// Runs `body` on a new thread, outside every task, and waits for it without blocking the
    /// pool; expectations stay in the test's own task, where they are recorded.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

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

    static func storedEvents(_ history: SQLHistory) throws -> [HistoryEvent] {
        var read: [HistoryEvent] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in read.append(event) }
        return read
    }

    @Test("a batch large enough for COPY keeps every value, tabs, newlines and backslashes included", arguments: StoreKind.allCases)
    func valuesSurvive(kind: StoreKind) async throws {
        let store = try TestStore(kind)
        let events = Self.events(300)
        let (argument, file) = (store.argument, store.path("events.jsonl"))
        try Self.write(events, to: file)
        let (outsideTasks, added, known, read) = try await Self.onOwnThread {
            let history = try SQLHistory.open(try HistoryLocation(argument))
            defer { history.database.close() }
            let (added, known) = try history.importLines(from: LineSource(path: file), now: .now())
            return (PostgresDatabase.Session.mayWaitForATask, added, known, try Self.storedEvents(history))
        }
        #expect(outsideTasks, "COPY is taken only outside a task")
        #expect(added == 300 && known == 0)
        #expect(read == events)
    }

    @Test("a row another writer stored first fails the whole batch with the caller's words, and nothing of it stays", arguments: StoreKind.allCases)
    func aTakenKeyFailsTheBatch(kind: StoreKind) async throws {
        let store = try TestStore(kind)
        let conflict = TollgateError(.history, "taken")
        let argument = store.argument
        let (outsideTasks, refusals, stored) = try await Self.onOwnThread {
            let history = try SQLHistory.open(try HistoryLocation(argument))
            defer { history.database.close() }
            try history.record(Self.events(1, from: 150)[0], now: .now())
            var refusals: [TollgateError?] = []
            for count in [10, 300] { // below and above PostgreSQL's COPY threshold
                let rows = Self.events(count, from: 150 - count / 2).map { event in
                    var columns = EventColumns(event)
                    columns.body = String(decoding: (try? event.jsonLine()) ?? Data(), as: UTF8.self)
                    return columns.values
                }
                do throws(TollgateError) {
                    try history.database.write { (db: any SQLConnection) throws(TollgateError) in
                        try db.insertNew(into: "tollgate_events", columns: EventColumns.names, rows: rows, conflict: conflict)
                    }
                    refusals.append(nil)
                } catch {
                    refusals.append(error)
                }
            }
            return (PostgresDatabase.Session.mayWaitForATask, refusals, try Self.storedEvents(history).count)
        }
        #expect(outsideTasks, "COPY is taken only outside a task")
        #expect(refusals == [conflict, conflict])
        #expect(stored == 1)
    }

    @Test("COPY's text format: tab between values, \\N for NULL, and a backslash before a backslash, tab, newline or return in a value")
    func copyText() {
        var buffer = ByteBuffer()
        CopyText.append([.text("a\tb\nc\rd\\e \\N é"), .null, .integer(-42), .text("")], to: &buffer)
        #expect(String(buffer: buffer) == "a\\tb\\nc\\rd\\\\e \\\\N é\t\\N\t-42\t\n")
    }
}
