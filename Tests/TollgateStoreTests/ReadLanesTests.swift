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
        let seen = try history.database.readInLanes(2, mark: "SELECT 1") {
            (lane: Int, lanes: Int, db: any SQLConnection) throws(TollgateError) -> [Int64] in
            [Int64(lane), Int64(lanes), try db.scalar("PRAGMA cache_size") ?? 0, try db.scalar("SELECT COUNT(*) FROM tollgate_events") ?? -1]
        }
        #expect(seen == [[0, 2, -8192, 0], [1, 2, -8192, 0]])
        let after = try history.database.readInLanes(1, mark: "SELECT 1") {
            (_: Int, _: Int, db: any SQLConnection) throws(TollgateError) -> Int64 in try db.scalar("PRAGMA cache_size") ?? 0
        }
        #expect(after == [-16384])
    }

    @Test("lanes whose marks differ read different snapshots: the work runs again in one lane")
    func snapshotsDiffer() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        // A mark no two reads share stands for a commit landing between the lanes' first reads.
        let seen = try history.database.readInLanes(2, mark: "SELECT random()") {
            (lane: Int, lanes: Int, _: any SQLConnection) throws(TollgateError) -> [Int] in [lane, lanes]
        }
        #expect(seen == [[0, 1]])
    }

    @Test("a lane's error is the read's error")
    func laneError() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        #expect(throws: TollgateError.self) {
            try history.database.readInLanes(2, mark: "SELECT 1") { (lane: Int, _: Int, db: any SQLConnection) throws(TollgateError) -> Int in
                if lane == 1 { try db.execute("SELECT * FROM no_such_table") }
                return lane
            }
        }
    }

    @Test("PostgreSQL reads on one connection: one lane")
    func oneLaneOnPostgres() throws {
        let store = try TestStore(.postgres)
        let history = try store.open()
        defer { history.close() }
        let seen = try history.database.readInLanes(2, mark: "SELECT 1") {
            (lane: Int, lanes: Int, _: any SQLConnection) throws(TollgateError) -> [Int] in [lane, lanes]
        }
        #expect(seen == [[0, 1]])
    }

    @Test("every model's facts, read in lanes, are each model's own read, in model order", arguments: StoreKind.allCases)
    func factsInModelOrder(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try DoraBoundedReadTests().history(store)
        defer { history.close() }
        let end = DoraBoundedReadTests.end
        for start in [nil, Instant(rfc3339: "2026-06-01T00:00:00Z")!] {
            let all = try history.doraFacts(model: nil, since: start, until: end)
            var expected = DoraFacts()
            let models = try history.database.read { (db: any SQLConnection) throws(TollgateError) in try SQLHistory.models(db) }
            #expect(models == ["canaried", "credit-risk", "retired", "tracked"])
            for model in models { expected.append(try history.doraFacts(model: model, since: start, until: end)) }
            #expect(all == expected, "since \(start.map { "\($0)" } ?? "the beginning")")
            #expect(!all.deployments.isEmpty && !all.canaryAnalyses.isEmpty)
        }
    }
}
