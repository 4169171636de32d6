import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `doraFacts(since:)` reads a window's rows and only the earlier rows its figures name; the
/// figures must be those of the whole history, whatever the window.
@Suite("DORA: the bounded read")
struct DoraBoundedReadTests {
    static let end = Instant(rfc3339: "2026-11-30T00:00:00Z")!

    /// The year of credit-risk history plus a second model that has only early events, staging
    /// only, and a run, so that a window can hold nothing of it. `store` must outlive the history:
    /// its folder goes with it, and a read in lanes opens the file again.
    func history(_ store: TestStore) throws -> SQLHistory {
        let history = try store.open()
        _ = try history.importLines(from: LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")), now: Self.end)
        let early = Instant(rfc3339: "2025-12-10T10:00:00Z")!
        try history.record(
            .deployment(Deployment(id: "s1", model: "retired", version: "1", environment: "staging", at: early, recordedAt: early)), now: Self.end)
        try history.record(.incidentTracking(IncidentTracking(id: "t1", model: "tracked", at: early, recordedAt: early)), now: Self.end)
        // Canary analyses: one whose looks straddle many windows' starts, one of a single look,
        // and a model known only by an analysis before every window.
        let looks = [
            CanaryHistoryTests.look("x1", analysis: "x", look: 1, at: "2026-01-05T10:00:00Z", verdict: "continue", model: "credit-risk"),
            CanaryHistoryTests.look("x2", analysis: "x", look: 2, at: "2026-02-20T10:00:00Z", verdict: "continue", model: "credit-risk"),
            CanaryHistoryTests.look("x3", analysis: "x", look: 3, at: "2026-04-10T10:00:00Z", verdict: "pass", model: "credit-risk"),
            CanaryHistoryTests.look("y1", analysis: "y", look: 1, at: "2026-07-01T10:00:00Z", verdict: "fail", model: "credit-risk"),
            CanaryHistoryTests.look("z1", analysis: "z", look: 1, at: "2025-12-12T10:00:00Z", verdict: "continue", model: "canaried")
        ]
        for look in looks { try history.record(look, now: Self.end) }
        return history
    }

    @Test("every window's figures, for every model, are those the whole history gives; the read holds fewer rows", arguments: StoreKind.allCases)
    func sameFigures(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try history(store)
        defer { history.close() }
        var smaller = 0
        var windows = 0
        // Ends every 5 days across the year (and past it), each at 09:00 and at midnight, over 7 to 120 days.
        for step in 0..<80 {
            for days in [7, 30, 90, 120] {
                let midnight = Instant(rfc3339: "2025-11-20T00:00:00Z")!.adding(seconds: Double(step * 5 * 86_400))
                for end in [midnight, midnight.adding(seconds: 9 * 3600)] {
                    let window = DoraWindow(end: end, days: days)
                    let calculator = DoraCalculator(window: window, benchmark: .y2023)
                    let all = try history.doraFacts(model: nil, until: end)
                    let bounded = try history.doraFacts(model: nil, since: window.start, until: end)
                    #expect(calculator.reports(bounded) == calculator.reports(all), "window of \(days) days ending \(end)")
                    let one = try history.doraFacts(model: "credit-risk", since: window.start, until: end)
                    #expect(calculator.reports(one, models: ["credit-risk"]) == calculator.reports(all, models: ["credit-risk"]))
                    windows += 1
                    if bounded.deployments.count + bounded.incidents.count + bounded.evaluations.count
                        < all.deployments.count + all.incidents.count + all.evaluations.count
                    {
                        smaller += 1
                    }
                }
            }
        }
        // Past the first months, a window holds less than everything before its end.
        #expect(smaller > windows / 2, "\(smaller) of \(windows) windows read fewer rows")
    }

    @Test("a model with nothing in the window is still listed, with its earlier state", arguments: StoreKind.allCases)
    func modelsOutsideTheWindow(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try history(store)
        defer { history.close() }
        let window = DoraWindow(end: Self.end, days: 30)
        let reports = DoraCalculator(window: window, benchmark: .y2023).reports(try history.doraFacts(model: nil, since: window.start, until: Self.end))
        // "canaried" is known only by a canary analysis a year before the window.
        #expect(reports.map(\.model) == ["canaried", "credit-risk", "retired", "tracked"])
        #expect(reports[3].incidentsTrackedSince == Instant(rfc3339: "2025-12-10T10:00:00Z"))
        #expect(reports[1].ml.productionVersion != nil)
    }

    @Test("a version-4 store is upgraded in place to the indexes the bounded read seeks on", arguments: StoreKind.allCases)
    func upgrade(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database: any SQLDatabase =
            switch try HistoryLocation(store.argument) {
            case .sqlite(let path): try SQLiteDatabase(path: path)
            case .postgres(let url): try PostgresDatabase(url: url)
            }
        // The fixture's events as a version-1 tollgate wrote them; the upgrade to 4 backfills the run tables.
        try Schema.migrate(database, to: 1)
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            try LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")).forEachLine {
                (line: Data, location: TollgateCore.SourceLocation) throws(TollgateError) in
                try db.execute(
                    "INSERT INTO tollgate_events (id, kind, model, at, recorded_at, link, type, environment, version, commit_sha, committed_at, registered_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    HistoryStoreTests.v1Columns(try HistoryEvent.decode(jsonLine: line, at: location), body: String(decoding: line, as: UTF8.self)))
            }
        }
        try Schema.migrate(database, to: 4)
        #expect(try Self.indexes(database, kind)["tollgate_events_by_model"]?.contains("environment") == true)
        database.close()
        let history = try store.open()
        defer { history.close() }
        let indexes = try Self.indexes(history.database, kind)
        #expect(indexes["tollgate_events_by_model"]?.contains("environment") == false)
        for name in ["tollgate_deployments_by_commit", "tollgate_deployments_by_version", "tollgate_run_candidates_by_version"] {
            #expect(indexes[name] != nil, "\(name) in \(indexes.keys.sorted())")
        }
        let window = DoraWindow(end: Self.end, days: 90)
        let report = DoraCalculator(window: window, benchmark: .y2023)
            .reports(try history.doraFacts(model: "credit-risk", since: window.start, until: Self.end))[0]
        // The figures DoraFixtureTests works out by hand.
        #expect(report.deploymentFrequency.deployments == 15)
        #expect(report.changeLeadTime.median == 40 * 3600.0)
    }

    /// Each index of the history's tables, by name, with its definition.
    static func indexes(_ database: any SQLDatabase, _ kind: StoreKind) throws -> [String: String] {
        let sql =
            kind == .sqlite
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        return try database.read { (db: any SQLConnection) throws(TollgateError) -> [String: String] in
            var found: [String: String] = [:]
            try db.query(sql, []) { (row: any SQLRow) throws(TollgateError) in found[try row.text(0) ?? ""] = try row.text(1) ?? "" }
            return found
        }
    }
}
