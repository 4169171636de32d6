import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

@testable import TollgateStore

/// A DORA report reads its models in lanes on SQLite; what it reads must be what one model at a
/// time on one connection reads, in the same order, from one snapshot.
@Suite("Reading in lanes")
struct ReadLanesTests {
    @Test("two lanes each run once with half the page cache, and come back in lane order; the cache is whole again after")
    func lanes() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        let seen = try history.database.readInLanes(2, mark: "SELECT '1'") {
            (lane: Int, lanes: Int, db: any SQLConnection) throws(TollgateError) -> [Int64] in
            [Int64(lane), Int64(lanes), try db.scalar("PRAGMA cache_size") ?? 0, try db.scalar("SELECT COUNT(*) FROM tollgate_events") ?? -1]
        }
        #expect(seen == [[0, 2, -8192, 0], [1, 2, -8192, 0]])
        let after = try history.database.readInLanes(1, mark: "SELECT '1'") {
            (_: Int, _: Int, db: any SQLConnection) throws(TollgateError) -> Int64 in try db.scalar("PRAGMA cache_size") ?? 0
        }
        #expect(after == [-16384])
    }

    @Test("lanes whose marks differ (as a commit between their reads makes them) run the work again in one lane")
    func snapshotsDiffer() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        // A mark no two reads share stands for a commit landing between the lanes' reads.
        let seen = try history.database.readInLanes(2, mark: "SELECT CAST(random() AS TEXT)") {
            (lane: Int, lanes: Int, _: any SQLConnection) throws(TollgateError) -> [Int] in [lane, lanes]
        }
        #expect(seen == [[0, 1]])
    }

    @Test("a lane's error is the read's error")
    func laneError() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        do {
            _ = try history.database.readInLanes(2, mark: "SELECT '1'") { (lane: Int, _: Int, db: any SQLConnection) throws(TollgateError) -> Int in
                if lane == 1 { try db.execute("SELECT * FROM no_such_table") }
                return lane
            }
            Issue.record("a failed lane was not reported")
        } catch {
            #expect(error.message.contains("no such table: no_such_table"), "\(error.message)")
        }
    }

    @Test("PostgreSQL reads on one connection: one lane")
    func oneLaneOnPostgres() throws {
        let store = try TestStore(.postgres)
        let history = try store.open()
        defer { history.close() }
        let seen = try history.database.readInLanes(2, mark: "SELECT '1'") {
            (lane: Int, lanes: Int, _: any SQLConnection) throws(TollgateError) -> [Int] in [lane, lanes]
        }
        #expect(seen == [[0, 1]])
    }

    @Test("every model's facts, read in two lanes, are each model's own read, in model order", arguments: StoreKind.allCases)
    func factsInModelOrder(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try DoraBoundedReadTests().history(store)
        defer { history.close() }
        let end = DoraBoundedReadTests.end
        for start in [nil, Instant(rfc3339: "2026-06-01T00:00:00Z")!] {
            // Two lanes whatever the cores (PostgreSQL reads them in one).
            let all = try history.doraFacts(model: nil, since: start, until: end, lanes: 2)
            let models = try history.database.read { (db: any SQLConnection) throws(TollgateError) in try SQLHistory.models(db) }
            #expect(models == ["canaried", "credit-risk", "retired", "tracked"])
            let expected = DoraFacts(concatenating: try models.map { try history.doraFacts(model: $0, since: start, until: end) })
            #expect(all == expected, "since \(start.map { "\($0)" } ?? "the beginning")")
            #expect(!all.deployments.isEmpty && !all.canaryAnalyses.isEmpty)
        }
    }

    @Test("every commit that adds an event, and every migration, changes the snapshot mark")
    func markChanges() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        func mark() throws -> String? {
            try history.database.read { (db: any SQLConnection) throws(TollgateError) -> String? in
                var seen: String?
                try db.query(SQLHistory.snapshotMark, []) { (row: any SQLRow) throws(TollgateError) in seen = try row.text(0) }
                return seen
            }
        }
        let empty = try mark()
        #expect(empty == "0/\(Schema.latest)")
        let at = Instant(rfc3339: "2026-06-01T10:00:00Z")!
        let deployment = HistoryEvent.deployment(Deployment(id: "d1", model: "m", version: "1", at: at, recordedAt: at))
        try history.record(deployment, now: at)
        let one = try mark()
        #expect(one != empty)
        try history.record(.incident(Incident(id: "i1", model: "m", at: at, deployment: "d1", recordedAt: at)), now: at)
        #expect(try mark() != one)
        try history.database.write { (db: any SQLConnection) throws(TollgateError) in
            try db.execute("INSERT INTO tollgate_schema (version, name, applied_at) VALUES (999, 'a later migration', 0)")
        }
        #expect(try mark()?.hasSuffix("/999") == true)
    }
}
