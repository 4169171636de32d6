import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// A year of credit-risk history (`fixtures/history/make_history.py`), its DORA figures worked out
/// by hand for the 90 days ending 2026-11-30T00:00Z: Tuesday 2026-09-01 to Sunday 2026-11-29.
@Suite("DORA on a year of fixture history")
struct DoraFixtureTests {
    static let end = Instant(rfc3339: "2026-11-30T00:00:00Z")!
    static let hour = 3600.0

    func report(_ kind: StoreKind, year: Int = 2023) throws -> DoraReport {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let imported = try history.importLines(from: LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")), now: Self.end)
        #expect(imported.added == 47)
        // As `tollgate dora` reads it: the window's rows and the earlier rows its figures name.
        let window = DoraWindow(end: Self.end, days: 90)
        let facts = try history.doraFacts(model: "credit-risk", since: window.start, until: Self.end)
        let reports = DoraCalculator(window: window, benchmark: try DoraBenchmark.named(year)).reports(facts)
        #expect(reports.map(\.model) == ["credit-risk"])
        return reports[0]
    }

    @Test("deployment frequency: 15 production deployments on 15 days; the median ISO week has 1 deployment day", arguments: StoreKind.allCases)
    func deploymentFrequency(kind: StoreKind) throws {
        let f = try report(kind).deploymentFrequency
        // 13 Tuesday releases + the Sep 9 hotfix + the Oct 14 rollback.
        #expect(f.deployments == 15)
        #expect(f.deploymentDays == 15)
        #expect(f.perDay == 15.0 / 90.0)
        // 13 ISO weeks touch the window; two of them (Sep 7-13, Oct 12-18) have two deployment days.
        #expect(f.medianDaysPerWeek == 1)
        // September 6 days, October 5, November 4.
        #expect(f.medianDaysPerMonth == 5)
        #expect(f.level == .high)
    }

    @Test("change lead time: 14 first deployments of a commit, lower median 40 h, p90 96 h", arguments: StoreKind.allCases)
    func leadTime(kind: StoreKind) throws {
        let l = try report(kind).changeLeadTime
        // 13 planned (24 48 48 72 12 36 96 48 60 24 30 200 40 h) + the hotfix (2 h); the rollback
        // re-ships version 15's commit and adds no change. Sorted: 2 12 24 24 30 36 [40] 48 48 48 60 72 [96] 200.
        #expect(l.count == 14)
        #expect(l.median == 40 * Self.hour)
        #expect(l.p90 == 96 * Self.hour)
        #expect(l.level == .high) // under 7 days, not under 1 day
    }

    @Test("change failure rate: 4 of 15 deployments failed", arguments: StoreKind.allCases)
    func changeFailureRate(kind: StoreKind) throws {
        let c = try report(kind).changeFailureRate
        // Sep 8 (hotfixed), Sep 15 (incident), Oct 13 (rolled back), Nov 24 (two incidents, counted once).
        #expect(c.count == 4)
        #expect(c.of == 15)
        #expect(c.value == 4.0 / 15.0)
        #expect(c.level == .low) // 2023: over 15%
    }

    @Test("failed deployment recovery time: 40 min, 23 h, 28 h, 29 h; lower median 23 h", arguments: StoreKind.allCases)
    func recovery(kind: StoreKind) throws {
        let r = try report(kind).failedDeploymentRecoveryTime
        // Incidents resolved in the window, from their deployment: Sep 15 10:00 → Sep 16 14:00 (28 h),
        // Nov 24 10:00 → 10:40 (40 min); remedies without an incident: hotfix Sep 8 10:00 → Sep 9
        // 15:00 (29 h), rollback Oct 13 10:00 → Oct 14 09:00 (23 h). August's incident was resolved
        // before the window; Nov 28's is still open.
        #expect(r.count == 4)
        #expect(r.median == 23 * Self.hour)
        #expect(r.p90 == 29 * Self.hour)
        #expect(r.level == .high) // under a day
    }

    @Test("rework rate: the hotfix and the rollback, 2 of 15; no published levels", arguments: StoreKind.allCases)
    func rework(kind: StoreKind) throws {
        let r = try report(kind).reworkRate
        #expect(r.count == 2)
        #expect(r.value == 2.0 / 15.0)
        #expect(r.level == nil)
    }

    @Test("ML figures: model age, registration to production, gate pass rates, rollbacks, one flaky check", arguments: StoreKind.allCases)
    func mlFigures(kind: StoreKind) throws {
        let ml = try report(kind).ml
        // Version 22 went live Nov 24 10:00: 5 days 14 hours before the window's end.
        #expect(ml.productionVersion == "22")
        #expect(ml.modelAge == 5 * 86_400 + 14 * Self.hour)
        // Registered an hour after each commit, so one hour less than each lead time; 14 versions
        // first deployed in the window (version 15's rollback is not its first deployment).
        #expect(ml.registrationToProduction.count == 14)
        #expect(ml.registrationToProduction.median == 39 * Self.hour)
        // 16 evaluations in the window (13 passing release runs, version 14's failed first run,
        // version 99 failing twice), 13 passed; 14 versions first evaluated here, 12 passed first time.
        #expect(ml.gatePassRate.count == 13 && ml.gatePassRate.of == 16)
        #expect(ml.firstAttemptPassRate.count == 12 && ml.firstAttemptPassRate.of == 14)
        #expect(ml.rollbackRate.count == 1 && ml.rollbackRate.of == 15)
        // Version 14's champion comparison failed, then passed, on the same data.
        #expect(ml.flakyChecks.count == 1)
        let flaky = try #require(ml.flakyChecks.first)
        #expect(flaky.version == "14")
        #expect(flaky.expression == "roc_auc >= champion - 0.01")
        #expect(flaky.outcomes == ["fail", "pass"])
        #expect(flaky.runs == 2 && flaky.flips == 1)
    }

    @Test("under the 2021 report the same figures rank differently, and time to restore service is graded instead of recovery")
    func year2021() throws {
        let r = try report(.sqlite, year: 2021)
        #expect(r.reportYear == 2021)
        #expect(r.deploymentFrequency.level == .high) // the median month has ≥ 1 deployment day
        #expect(r.changeLeadTime.level == .high) // not under an hour, under a week
        #expect(r.changeFailureRate.level == .medium) // 26.7%: DevLake's 21-30% band
        // Incidents resolved in the window, opened to resolved: Sep 16 12:00 → 14:00 (2 h) and
        // Nov 24 10:20 → 10:40 (20 min); lower median 20 min, under 2021's hour: elite.
        #expect(r.timeToRestoreService.count == 2)
        #expect(r.timeToRestoreService.median == 20 * 60.0)
        #expect(r.timeToRestoreService.p90 == 2 * Self.hour)
        #expect(r.timeToRestoreService.level == .elite)
        // 2023's figure is still computed (23 h), but 2021 does not grade it.
        #expect(r.failedDeploymentRecoveryTime.median == 23 * Self.hour)
        #expect(r.failedDeploymentRecoveryTime.level == nil)
    }

    @Test("under 2023 time to restore service is shown but not graded", arguments: StoreKind.allCases)
    func restoreUngradedIn2023(kind: StoreKind) throws {
        let r = try report(kind)
        #expect(r.timeToRestoreService.median == 20 * 60.0)
        #expect(r.timeToRestoreService.level == nil)
        // Incidents recorded since August: tracking is in place, so the failure rate is graded.
        #expect(r.incidentsTrackedSince == Instant(rfc3339: "2026-08-05T08:00:00Z"))
    }

    @Test("a window with no data is N/A, not a level")
    func emptyWindow() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        defer { history.close() }
        _ = try history.importLines(from: LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")), now: Self.end)
        // The 30 days before the first deployment.
        let early = Instant(rfc3339: "2025-11-30T00:00:00Z")!
        let r = DoraCalculator(window: DoraWindow(end: early, days: 30), benchmark: .y2023)
            .reports(try history.doraFacts(model: "credit-risk", until: early), models: ["credit-risk"])[0]
        #expect(r.deploymentFrequency.deployments == 0 && r.deploymentFrequency.level == nil && r.deploymentFrequency.perDay == nil)
        #expect(r.changeLeadTime.median == nil && r.changeLeadTime.level == nil)
        #expect(r.changeFailureRate.value == nil && r.changeFailureRate.level == nil)
        #expect(r.failedDeploymentRecoveryTime.median == nil && r.failedDeploymentRecoveryTime.level == nil)
        #expect(r.ml.modelAge == nil)
        let table = try DoraFormat.table.render([r])
        #expect(table.contains("N/A (no production deployments in window)"))
        #expect(!table.contains("elite") && !table.contains(" low"))
    }
}
