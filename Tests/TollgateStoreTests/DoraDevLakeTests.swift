import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// Apache DevLake's own DORA e2e rows, converted to Tollgate events by `fixtures/devlake/convert.py`,
/// against the figures DevLake's dashboard definitions give on the same rows (the script computes
/// them from DevLake's tables and its expected outputs into `devlake-figures.json`).
@Suite("DORA beside Apache DevLake's fixtures")
struct DoraDevLakeTests {
    struct Figures: Decodable {
        struct LeadTime: Decodable {
            var window_end: String
            var window_days: Int
            var lead_time_prs: Int
            var lead_time_median_minutes: Double
        }

        struct Incidents: Decodable {
            var window_end: String
            var window_days: Int
            var deployments: Int
            var failed_deployments: Int
            var change_failure_rate: Double
            var recovery_count: Int
            var failed_deployment_recovery_median_seconds: Double
            var restore_count: Int
            var time_to_restore_median_seconds: Double
        }

        var lead_time: LeadTime
        var incidents: Incidents
    }

    static func devlake() throws -> Figures {
        try JSONDecoder().decode(Figures.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("devlake/devlake-figures.json"))))
    }

    func report(_ kind: StoreKind, file: String, until: String, days: Int, year: Int) throws -> DoraReport {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        let end = Instant(rfc3339: until)!
        _ = try history.importLines(from: LineSource(path: Fixtures.path("devlake/\(file)")), now: end.adding(seconds: 86_400 * 400))
        let window = DoraWindow(end: end, days: days)
        return DoraCalculator(window: window, benchmark: try DoraBenchmark.named(year))
            .reports(try history.doraFacts(model: "project1", since: window.start, until: end), models: ["project1"])[0]
    }

    @Test("incident fixture: change failure rate and failed deployment recovery time agree with DevLake's (2023)", arguments: StoreKind.allCases)
    func incidents2023(kind: StoreKind) throws {
        let d = try Self.devlake().incidents
        let r = try report(kind, file: "incidents.jsonl", until: d.window_end, days: d.window_days, year: 2023)
        #expect(r.changeFailureRate.of == d.deployments)
        #expect(r.changeFailureRate.count == d.failed_deployments)
        #expect(r.changeFailureRate.value == d.change_failure_rate)
        #expect(r.changeFailureRate.level == DoraBenchmark.y2023.changeFailureRate(d.change_failure_rate))
        #expect(r.failedDeploymentRecoveryTime.count == d.recovery_count)
        #expect(r.failedDeploymentRecoveryTime.median == d.failed_deployment_recovery_median_seconds)
        #expect(r.failedDeploymentRecoveryTime.level == DoraBenchmark.y2023.recoveryTime(d.failed_deployment_recovery_median_seconds))
        #expect(r.incidentsTrackedSince != nil)
    }

    @Test("incident fixture under 2021: time to restore service agrees with DevLake's (median 23 h, high)", arguments: StoreKind.allCases)
    func incidents2021(kind: StoreKind) throws {
        let d = try Self.devlake().incidents
        let r = try report(kind, file: "incidents.jsonl", until: d.window_end, days: d.window_days, year: 2021)
        #expect(r.timeToRestoreService.count == d.restore_count)
        #expect(r.timeToRestoreService.median == d.time_to_restore_median_seconds)
        #expect(r.timeToRestoreService.level == DoraBenchmark.y2021.recoveryTime(d.time_to_restore_median_seconds))
        #expect(r.timeToRestoreService.level == .high)
        #expect(r.failedDeploymentRecoveryTime.level == nil)
        #expect(r.changeFailureRate.level == DoraBenchmark.y2021.changeFailureRate(d.change_failure_rate))
    }

    /// DevLake keeps lead time in whole minutes (`pr_cycle_time`); Tollgate in seconds.
    @Test("lead-time fixture: the median lead time agrees with DevLake's to the minute, with the same level", arguments: StoreKind.allCases)
    func leadTime(kind: StoreKind) throws {
        let d = try Self.devlake().lead_time
        let r = try report(kind, file: "lead-time.jsonl", until: d.window_end, days: d.window_days, year: 2023)
        let median = try #require(r.changeLeadTime.median)
        #expect(abs(median / 60 - d.lead_time_median_minutes) < 1, "Tollgate \(median / 60) min, DevLake \(d.lead_time_median_minutes) min")
        #expect(r.changeLeadTime.level == DoraBenchmark.y2023.leadTime(d.lead_time_median_minutes * 60))
    }

    /// The example: deployment days 04-10 and 04-13 (ISO week 15). The window to
    /// 23:59:59 used to start Sunday 04-09 23:59:59, touch week 14 and read median 0 (medium).
    @Test("lead-time fixture: 7 days to 2023-04-16T23:59:59Z and to 2023-04-17T00:00:00Z give the same level", arguments: StoreKind.allCases)
    func calendarEdges(kind: StoreKind) throws {
        for until in ["2023-04-16T23:59:59Z", "2023-04-17T00:00:00Z"] {
            let f = try report(kind, file: "lead-time.jsonl", until: until, days: 7, year: 2023).deploymentFrequency
            #expect(f.deploymentDays == 2, "\(until)")
            #expect(f.medianDaysPerWeek == 2, "\(until)")
            #expect(f.level == .high, "\(until)")
        }
    }
}
