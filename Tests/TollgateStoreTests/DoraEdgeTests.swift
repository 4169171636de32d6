import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// DORA at the edges (issue #17), on small histories worked out by hand: the calendar of whole
/// dates, 2021's own recovery figure, incident tracking, and the as-of rule.
@Suite("DORA at the edges")
struct DoraEdgeTests {
    static let hour = 3600.0
    static let day = 86_400.0

    static func t(_ text: String) -> Instant { Instant(rfc3339: text)! }

    static func deployment(_ id: String, at: String, model: String = "m", type: Deployment.Kind = .planned, remediates: String? = nil) -> HistoryEvent {
        .deployment(Deployment(id: id, model: model, version: id, at: t(at), type: type, remediates: remediates, recordedAt: t(at)))
    }

    static func incident(_ id: String, at: String, deployment: String? = nil, model: String = "m") -> HistoryEvent {
        .incident(Incident(id: id, model: model, at: t(at), deployment: deployment, recordedAt: t(at)))
    }

    static func resolution(_ id: String, of incident: String, at: String) -> HistoryEvent {
        .resolution(Resolution(id: id, model: "m", at: t(at), incident: incident, recordedAt: t(at)))
    }

    static func tracking(_ id: String, at: String, model: String = "m") -> HistoryEvent {
        .incidentTracking(IncidentTracking(id: id, model: model, at: t(at), note: "pager rota", recordedAt: t(at)))
    }

    func report(_ history: SQLHistory, until: String, days: Int, year: Int = 2023, model: String = "m") throws -> DoraReport {
        let window = DoraWindow(end: Self.t(until), days: days)
        return DoraCalculator(window: window, benchmark: try DoraBenchmark.named(year))
            .reports(try history.doraFacts(model: model, since: window.start, until: window.end), models: [model])[0]
    }

    // MARK: calendar

    /// Monday 2026-06-01 10:00 and Thursday 06-04 10:00: two deployment days in ISO week 23.
    /// A 7-day window that began at `--until` minus 7 × 24 h would start on Sunday 05-31 for
    /// an `--until` during Sunday 06-07, touch week 22 (no deployments) and May (none): median
    /// 0 days a week and a month, level low. Whole dates start the window at Monday 00:00.
    @Test(
        "a 7-day window has the same calendar and level at 00:00, 09:00 and 23:59:59 of its last day, and at the next midnight", arguments: StoreKind.allCases)
    func calendarEdges(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        try history.record(Self.deployment("d1", at: "2026-06-01T10:00:00Z"), now: Self.t("2026-06-30T00:00:00Z"))
        try history.record(Self.deployment("d2", at: "2026-06-04T10:00:00Z"), now: Self.t("2026-06-30T00:00:00Z"))
        for until in ["2026-06-07T00:00:01Z", "2026-06-07T09:00:00Z", "2026-06-07T23:59:59Z", "2026-06-08T00:00:00Z"] {
            let r = try report(history, until: until, days: 7)
            #expect(r.window.start == Self.t("2026-06-01T00:00:00Z"), "\(until)")
            #expect(r.window.days == 7)
            let f = r.deploymentFrequency
            #expect(f.deployments == 2 && f.deploymentDays == 2, "\(until)")
            #expect(f.medianDaysPerWeek == 2, "\(until)")
            #expect(f.medianDaysPerMonth == 2, "\(until)")
            #expect(f.level == .high, "\(until)")
        }
        // One second later the window's dates are 06-02 to 06-08: Monday's deployment is out,
        // and week 24 (06-08, no deployments) is in; the lower median of [1, 0] is 0.
        let next = try report(history, until: "2026-06-08T00:00:01Z", days: 7)
        #expect(next.window.start == Self.t("2026-06-02T00:00:00Z"))
        #expect(next.deploymentFrequency.deployments == 1)
        #expect(next.deploymentFrequency.medianDaysPerWeek == 0)
        #expect(next.deploymentFrequency.level == .medium)
    }

    @Test("a window ending at midnight is exactly its days × 24 hours; one ending later starts at the same midnight")
    func windowBounds() {
        let midnight = DoraWindow(end: Self.t("2026-11-30T00:00:00Z"), days: 90)
        #expect(midnight.start == Self.t("2026-09-01T00:00:00Z"))
        let evening = DoraWindow(end: Self.t("2026-11-30T18:30:00Z"), days: 90)
        #expect(evening.start == Self.t("2026-09-02T00:00:00Z"))
        #expect(evening.contains(Self.t("2026-09-02T00:00:00Z")) && !evening.contains(Self.t("2026-09-01T23:59:59Z")))
        #expect(!evening.contains(Self.t("2026-11-30T18:30:00Z")))
    }

    // MARK: report years

    /// Deployed 2026-01-05 10:00; an incident opened 2026-03-01 09:00, resolved 10:30.
    /// Time to restore service: 1.5 h (2021: under a day, high). Failed deployment recovery:
    /// 55 days 30 minutes (2023: over a week, low).
    @Test("2021 grades time to restore service (opened → resolved); 2023 grades deployment → recovery", arguments: StoreKind.allCases)
    func reportYears(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        let now = Self.t("2026-04-01T00:00:00Z")
        try history.record(Self.deployment("d1", at: "2026-01-05T10:00:00Z"), now: now)
        try history.record(Self.incident("i1", at: "2026-03-01T09:00:00Z", deployment: "d1"), now: now)
        try history.record(Self.resolution("r1", of: "i1", at: "2026-03-01T10:30:00Z"), now: now)

        let y2021 = try report(history, until: "2026-03-31T00:00:00Z", days: 90, year: 2021)
        #expect(y2021.timeToRestoreService.count == 1)
        #expect(y2021.timeToRestoreService.median == 1.5 * Self.hour)
        #expect(y2021.timeToRestoreService.level == .high)
        #expect(y2021.failedDeploymentRecoveryTime.median == 55 * Self.day + 0.5 * Self.hour)
        #expect(y2021.failedDeploymentRecoveryTime.level == nil)
        #expect(y2021.gradedRecovery.name == "time to restore service")

        let y2023 = try report(history, until: "2026-03-31T00:00:00Z", days: 90, year: 2023)
        #expect(y2023.failedDeploymentRecoveryTime.level == .low)
        #expect(y2023.timeToRestoreService.median == 1.5 * Self.hour)
        #expect(y2023.timeToRestoreService.level == nil)

        let table = try DoraFormat.table.render([y2021])
        #expect(table.contains("time to restore service"))
        #expect(table.contains("— (graded under DORA 2023)"))
        let metrics = try DoraFormat.openmetrics.render([y2021])
        #expect(metrics.contains(#"tollgate_dora_performance_level{model="m",metric="time_to_restore_service",report_year="2021",window_days="90"} 3"#))
        #expect(!metrics.contains(#"metric="failed_deployment_recovery_time""#))
        #expect(metrics.contains(#"tollgate_dora_time_to_restore_service_seconds{model="m",stat="median",window_days="90"} 5400"#))
    }

    // MARK: incident tracking

    /// Two deployments, no incidents: 0 of 2 failed. Without tracking that is not elite.
    @Test("no incident ever recorded: the failure rate is shown without a level until tracking is declared", arguments: StoreKind.allCases)
    func incidentTracking(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let now = Self.t("2026-06-30T00:00:00Z")
        try history.record(Self.deployment("d1", at: "2026-06-01T10:00:00Z"), now: now)
        try history.record(Self.deployment("d2", at: "2026-06-08T10:00:00Z"), now: now)

        let untracked = try report(history, until: "2026-06-30T00:00:00Z", days: 30)
        #expect(untracked.incidentsTrackedSince == nil)
        #expect(untracked.changeFailureRate.count == 0 && untracked.changeFailureRate.of == 2)
        #expect(untracked.changeFailureRate.value == 0)
        #expect(untracked.changeFailureRate.level == nil)
        for format in [DoraFormat.table, .markdown] {
            let text = try format.render([untracked])
            #expect(text.contains("0.0% (0 of 2); no incidents recorded for this model"), "\(format)")
            #expect(text.contains("N/A (incidents not tracked)"), "\(format)")
            #expect(!text.contains("elite"), "\(format)")
        }
        let json = try DoraFormat.json.render([untracked])
        #expect(json.contains(#""change_failure_rate" : {"#) && !json.contains("incidents_tracked_since"))
        let metrics = try DoraFormat.openmetrics.render([untracked])
        #expect(metrics.contains(#"tollgate_dora_change_failure_ratio{model="m",window_days="30"} 0"#))
        #expect(!metrics.contains(#"metric="change_failure_rate""#))
        #expect(metrics.contains(#"tollgate_dora_incidents_tracked{model="m",window_days="30"} 0"#))

        // Declared after the window: still not tracked as of its end.
        try history.record(Self.tracking("t1", at: "2026-06-29T12:00:00Z"), now: now)
        #expect(try report(history, until: "2026-06-29T00:00:00Z", days: 30).changeFailureRate.level == nil)

        let tracked = try report(history, until: "2026-06-30T00:00:00Z", days: 30)
        #expect(tracked.incidentsTrackedSince == Self.t("2026-06-29T12:00:00Z"))
        #expect(tracked.changeFailureRate.level == .elite)
        #expect(try DoraFormat.openmetrics.render([tracked]).contains(#"tollgate_dora_incidents_tracked{model="m",window_days="30"} 1"#))

        // The declaration travels with the history: exported, imported, read back the same.
        var lines: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in
            lines.append(String(decoding: try event.jsonLine(), as: UTF8.self))
        }
        #expect(
            lines.last
                == #"{"at":"2026-06-29T12:00:00Z","id":"t1","kind":"incident_tracking","model":"m","note":"pager rota","recorded_at":"2026-06-29T12:00:00Z"}"#)
        let file = store.path("export.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let copyStore = try TestStore(kind)
        let copy = try copyStore.open()
        defer { copy.close() }
        #expect(try copy.importLines(from: LineSource(path: file), now: now).added == 3)
        #expect(try report(copy, until: "2026-06-30T00:00:00Z", days: 30) == tracked)
    }

    @Test("an incident recorded for the model shows tracking is in place, even one outside the window", arguments: StoreKind.allCases)
    func incidentImpliesTracking(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        let now = Self.t("2026-06-30T00:00:00Z")
        try history.record(Self.deployment("d0", at: "2026-01-05T10:00:00Z"), now: now)
        try history.record(Self.incident("i0", at: "2026-01-06T10:00:00Z"), now: now)
        try history.record(Self.deployment("d1", at: "2026-06-01T10:00:00Z"), now: now)
        let r = try report(history, until: "2026-06-30T00:00:00Z", days: 30)
        #expect(r.incidentsTrackedSince == Self.t("2026-01-06T10:00:00Z"))
        #expect(r.changeFailureRate.value == 0 && r.changeFailureRate.level == .elite)
    }

    // MARK: as of

    /// Deployed 06-01 10:00; an incident blamed on it opens 06-10 09:00, after a window ending
    /// 06-08 00:00. That window's report does not change: 0 of 1 failed (tracking from the
    /// declaration on 05-01). A window ending 06-15 counts it: 1 of 1.
    @Test("an incident opened after the window's end does not change the window's report", arguments: StoreKind.allCases)
    func asOf(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        let now = Self.t("2026-06-30T00:00:00Z")
        try history.record(Self.tracking("t1", at: "2026-05-01T00:00:00Z"), now: now)
        try history.record(Self.deployment("d1", at: "2026-06-01T10:00:00Z"), now: now)
        let before = try report(history, until: "2026-06-08T00:00:00Z", days: 7)
        try history.record(Self.incident("i1", at: "2026-06-10T09:00:00Z", deployment: "d1"), now: now)
        try history.record(Self.resolution("r1", of: "i1", at: "2026-06-10T12:00:00Z"), now: now)
        let after = try report(history, until: "2026-06-08T00:00:00Z", days: 7)
        #expect(after == before)
        #expect(after.changeFailureRate.count == 0 && after.changeFailureRate.of == 1)
        #expect(after.changeFailureRate.level == .elite)
        #expect(try DoraFormat.table.render([after]).contains("as of 2026-06-08T00:00:00Z"))
        let later = try report(history, until: "2026-06-15T00:00:00Z", days: 14)
        #expect(later.changeFailureRate.count == 1 && later.changeFailureRate.of == 1)
        #expect(later.failedDeploymentRecoveryTime.median == 9 * Self.day + 2 * Self.hour)
    }

    // MARK: storage

    @Test("a store from before incident tracking is upgraded in place and accepts the new event", arguments: StoreKind.allCases)
    func upgrade(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database: any SQLDatabase =
            switch try HistoryLocation(store.argument) {
            case .sqlite(let path): try SQLiteDatabase(path: path)
            case .postgres(let url): try PostgresDatabase(url: url)
            }
        try Schema.migrate(database, to: 3)
        let now = Self.t("2026-06-30T00:00:00Z")
        // Version 3 refuses the new kind: its CHECK names the four old ones.
        #expect(throws: TollgateError.self) {
            try database.write { (db: any SQLConnection) throws(TollgateError) in
                try db.execute(
                    "INSERT INTO tollgate_events (id, kind, model, at, recorded_at, body) VALUES ('x', 'incident_tracking', 'm', 0, 0, '{}')", [])
            }
        }
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            try db.execute(
                "INSERT INTO tollgate_events (id, kind, model, version, environment, at, recorded_at, type, body) VALUES (?, 'deployment', 'm', '1', 'production', ?, ?, 'planned', ?)",
                [
                    .text("d1"), .integer(Self.t("2026-06-01T10:00:00Z").milliseconds), .integer(Self.t("2026-06-01T10:00:00Z").milliseconds),
                    .text(String(decoding: try Self.deployment("d1", at: "2026-06-01T10:00:00Z").jsonLine(), as: UTF8.self))
                ])
        }
        database.close()
        // Opening upgrades it to the latest version; the deployment stays, the new kind is accepted.
        let history = try store.open()
        defer { history.close() }
        #expect(try history.record(Self.tracking("t1", at: "2026-06-02T00:00:00Z"), now: now) != .known)
        let r = try report(history, until: "2026-06-30T00:00:00Z", days: 30)
        #expect(r.deploymentFrequency.deployments == 1)
        #expect(r.incidentsTrackedSince == Self.t("2026-06-02T00:00:00Z"))
    }

    @Test("an event table whose kind check Tollgate did not write is refused, not half-upgraded")
    func upgradeOfAForeignTable() throws {
        let store = try TestStore(.sqlite)
        guard case .sqlite(let path) = try HistoryLocation(store.argument) else {
            Issue.record("not SQLite")
            return
        }
        let database = try SQLiteDatabase(path: path)
        try Schema.migrate(database, to: 3)
        // Another tool rewrote the table's text: the same check, spelt without spaces.
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            var version: Int64 = 0
            try db.query("PRAGMA schema_version", []) { (row: any SQLRow) throws(TollgateError) in version = try row.integer(0) ?? 0 }
            try db.execute("PRAGMA writable_schema = ON", [])
            try db.execute(
                "UPDATE sqlite_master SET sql = replace(sql, 'kind IN (''run'', ''deployment'', ''incident'', ''resolution'')', 'kind IN (''run'',''deployment'',''incident'',''resolution'')') WHERE name = 'tollgate_events'",
                [])
            try db.execute("PRAGMA schema_version = \(version + 1)", [])
            try db.execute("PRAGMA writable_schema = OFF", [])
        }
        database.close()
        #expect {
            _ = try store.open()
        } throws: { error in
            (error as? TollgateError)?.message.contains("its kind check was not found") == true
        }
        // Nothing was changed: the store is still at version 3.
        let reopened = try SQLiteDatabase(path: path)
        defer { reopened.close() }
        let version = try reopened.read { (db: any SQLConnection) throws(TollgateError) -> Int64? in
            var version: Int64?
            try db.query("SELECT MAX(version) FROM tollgate_schema", []) { (row: any SQLRow) throws(TollgateError) in version = try row.integer(0) }
            return version
        }
        #expect(version == 3)
    }
}
