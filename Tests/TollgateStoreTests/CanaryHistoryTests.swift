import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// Canary analyses in the history (issue #12): a look is one `canary_analysis` event, its
/// analysis groups the looks, and it moves between stores and into DORA like the other kinds.
@Suite("Canary analyses in the history")
struct CanaryHistoryTests {
    static func t(_ text: String) -> Instant { Instant(rfc3339: text)! }

    static func look(_ id: String, analysis: String, look: Int, at: String, verdict: String, model: String = "m", lower: Double? = -0.02) -> HistoryEvent {
        let check = CanaryAnalysisRecord.Check(
            expression: "error_rate <= baseline + 0.01", severity: "block", margin: 0.01, badDirection: "increase", nBaseline: 500 * look,
            nCanary: 480 * look, estimate: 0.001, lower: lower, upper: 0.03 / Double(look), pValue: 0.5, outcome: verdict, reason: "why")
        return .canaryAnalysis(
            CanaryAnalysisRecord(
                id: id, analysis: analysis, model: model, at: t(at), baseline: "@champion", canary: "@challenger", mode: "canary", look: look,
                verdict: verdict, checks: [check], baselineEvents: 500, canaryEvents: 480, recordedAt: t(at)))
    }

    func report(_ history: SQLHistory, until: String, days: Int) throws -> DoraReport {
        let window = DoraWindow(end: Self.t(until), days: days)
        return DoraCalculator(window: window, benchmark: try DoraBenchmark.named(2023)).reports(
            try history.doraFacts(model: "m", until: window.end), models: ["m"])[0]
    }

    /// Analysis a: continue, continue, pass. b: continue, fail. c: one look, continue.
    /// DORA counts each analysis once, as its latest look in the window left it.
    static let looks: [HistoryEvent] = [
        look("a1", analysis: "a", look: 1, at: "2026-06-01T10:00:00Z", verdict: "continue"),
        look("a2", analysis: "a", look: 2, at: "2026-06-01T10:01:00Z", verdict: "continue", lower: nil),
        look("b1", analysis: "b", look: 1, at: "2026-06-02T10:00:00Z", verdict: "continue"),
        look("a3", analysis: "a", look: 3, at: "2026-06-02T10:02:00Z", verdict: "pass"),
        look("b2", analysis: "b", look: 2, at: "2026-06-03T10:01:00Z", verdict: "fail"),
        look("c1", analysis: "c", look: 1, at: "2026-06-04T10:00:00Z", verdict: "continue")
    ]

    @Test("looks are stored, grouped by analysis, exported and imported unchanged, and counted by DORA", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let now = Self.t("2026-06-30T00:00:00Z")
        for event in Self.looks { #expect(try history.record(event, now: now) == .added(event)) }
        let analyses = try history.canaryAnalyses()
        #expect(analyses.map(\.id) == ["a", "b", "c"])
        #expect(analyses.map { $0.looks.map(\.id) } == [["a1", "a2", "a3"], ["b1", "b2"], ["c1"]])
        #expect(analyses[0].latest.verdict == "pass")

        let r = try report(history, until: "2026-06-30T00:00:00Z", days: 30)
        #expect(r.ml.canary == DoraReport.CanaryCounts(passed: 1, failed: 1, undecided: 1))
        // As of 06-02 12:00: a has passed, b's latest look is still continue, c has not started.
        let early = try report(history, until: "2026-06-02T12:00:00Z", days: 30)
        #expect(early.ml.canary == DoraReport.CanaryCounts(passed: 1, failed: 0, undecided: 1))
        #expect(try DoraFormat.table.render([r]).contains("1 passed, 1 failed, 1 undecided (of 3)"))
        let metrics = try DoraFormat.openmetrics.render([r])
        #expect(metrics.contains(#"tollgate_canary_analyses{model="m",verdict="fail",window_days="30"} 1"#))

        var lines: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in
            lines.append(String(decoding: try event.jsonLine(), as: UTF8.self))
        }
        #expect(lines.count == 6)
        #expect(lines[1].hasPrefix(#"{"analysis":"a","at":"2026-06-01T10:01:00Z","baseline":"@champion","baseline_events":500,"canary":"@challenger""#))
        #expect(lines[1].contains(#""kind":"canary_analysis""#) && lines[1].contains(#""upper":0.015"#) && !lines[1].contains("lower"))
        let file = store.path("export.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let copyStore = try TestStore(kind)
        let copy = try copyStore.open()
        defer { copy.close() }
        #expect(try copy.importLines(from: LineSource(path: file), now: now).added == 6)
        #expect(try copy.importLines(from: LineSource(path: file), now: now).known == 6)
        #expect(try copy.canaryAnalyses() == analyses)
        #expect(try report(copy, until: "2026-06-30T00:00:00Z", days: 30) == r)
    }

    @Test("a store from before canary analyses (version 4) is upgraded in place and accepts looks", arguments: StoreKind.allCases)
    func upgrade(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database: any SQLDatabase =
            switch try HistoryLocation(store.argument) {
            case .sqlite(let path): try SQLiteDatabase(path: path)
            case .postgres(let url): try PostgresDatabase(url: url)
            }
        try Schema.migrate(database, to: 4)
        // Version 4 refuses the new kind: its CHECK names the five kinds before it.
        #expect(throws: TollgateError.self) {
            try database.write { (db: any SQLConnection) throws(TollgateError) in
                try db.execute("INSERT INTO tollgate_events (id, kind, model, at, recorded_at, body) VALUES ('x', 'canary_analysis', 'm', 0, 0, '{}')", [])
            }
        }
        let tracking = HistoryEvent.incidentTracking(
            IncidentTracking(id: "t1", model: "m", at: Self.t("2026-05-01T00:00:00Z"), recordedAt: Self.t("2026-05-01T00:00:00Z")))
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            try db.execute(
                "INSERT INTO tollgate_events (id, kind, model, at, recorded_at, body) VALUES ('t1', 'incident_tracking', 'm', ?, ?, ?)",
                [
                    .integer(Self.t("2026-05-01T00:00:00Z").milliseconds), .integer(Self.t("2026-05-01T00:00:00Z").milliseconds),
                    .text(String(decoding: try tracking.jsonLine(), as: UTF8.self))
                ])
        }
        database.close()
        let history = try store.open()
        defer { history.close() }
        let now = Self.t("2026-06-30T00:00:00Z")
        for event in Self.looks { #expect(try history.record(event, now: now) != .known) }
        var kinds: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in kinds.append(event.kind.rawValue) }
        #expect(kinds == ["incident_tracking"] + Array(repeating: "canary_analysis", count: 6))
        #expect(try report(history, until: "2026-06-30T00:00:00Z", days: 30).ml.canary.total == 3)
    }

    @Test("an imported look with an unknown verdict, a negative count or an unknown key is refused at its line")
    func importValidation() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        let good = String(decoding: try Self.look("a1", analysis: "a", look: 1, at: "2026-06-01T10:00:00Z", verdict: "continue").jsonLine(), as: UTF8.self)
        let cases = [
            (
                good.replacingOccurrences(of: #""verdict":"continue""#, with: #""verdict":"maybe""#),
                "expected 'verdict' one of pass, fail, continue, inconclusive"
            ),
            (good.replacingOccurrences(of: #""canary_events":480"#, with: #""canary_events":-1"#), "non-negative 'baseline_events' and 'canary_events'"),
            (
                good.replacingOccurrences(of: #""look":1"#, with: #""look":1,"looks":2"#),
                "unknown key 'looks' in a canary_analysis event (did you mean 'look'?)"
            ),
            (good.replacingOccurrences(of: #""outcome":"continue""#, with: #""outcome":"ok""#), "expected 'checks[0].outcome' one of")
        ]
        for (i, (line, message)) in cases.enumerated() {
            let file = store.path("bad-\(i).jsonl")
            try Data((good + "\n" + line + "\n").utf8).write(to: URL(fileURLWithPath: file))
            #expect {
                _ = try history.importLines(from: LineSource(path: file), now: Self.t("2026-06-30T00:00:00Z"))
            } throws: { error in
                let text = "\(error)"
                return text.contains(message) && text.contains("bad-\(i).jsonl:2")
            }
        }
    }
}
