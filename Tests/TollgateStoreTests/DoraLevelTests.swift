import Testing
import TollgateCore
import TollgateStore

/// Every level boundary of both supported report years, on the boundary and one step inside.
@Suite("DORA level boundaries")
struct DoraLevelTests {
    static let day = 86_400.0

    @Test("change lead time, 2023: under 1 day elite, under 7 high, under 30 medium")
    func leadTime2023() {
        let b = DoraBenchmark.y2023
        #expect(b.leadTime(Self.day - 1) == .elite)
        #expect(b.leadTime(Self.day) == .high)
        #expect(b.leadTime(7 * Self.day - 1) == .high)
        #expect(b.leadTime(7 * Self.day) == .medium)
        #expect(b.leadTime(30 * Self.day - 1) == .medium)
        #expect(b.leadTime(30 * Self.day) == .low)
    }

    @Test("change lead time, 2021: under 1 hour elite, under 7 days high, under 180 days medium")
    func leadTime2021() {
        let b = DoraBenchmark.y2021
        #expect(b.leadTime(3599) == .elite)
        #expect(b.leadTime(3600) == .high)
        #expect(b.leadTime(7 * Self.day) == .medium)
        #expect(b.leadTime(180 * Self.day - 1) == .medium)
        #expect(b.leadTime(180 * Self.day) == .low)
    }

    @Test("recovery time, both years: under 1 hour elite, under 1 day high, under 7 days medium", arguments: [DoraBenchmark.y2023, .y2021])
    func recovery(b: DoraBenchmark) {
        #expect(b.recoveryTime(3599) == .elite)
        #expect(b.recoveryTime(3600) == .high)
        #expect(b.recoveryTime(Self.day - 1) == .high)
        #expect(b.recoveryTime(Self.day) == .medium)
        #expect(b.recoveryTime(7 * Self.day - 1) == .medium)
        #expect(b.recoveryTime(7 * Self.day) == .low)
    }

    @Test("change failure rate as counted: 1, 2, 3 and 4 failures of 20 deployments")
    func changeFailureRate() {
        let rates = (1...4).map { Double($0) / 20 } // 5%, 10%, 15%, 20%
        #expect(rates.map(DoraBenchmark.y2023.changeFailureRate) == [.elite, .high, .medium, .low])
        #expect(rates.map(DoraBenchmark.y2021.changeFailureRate) == [.elite, .elite, .elite, .high])
        let upper = [6, 7].map { Double($0) / 20 } // 30%, 35%
        #expect(upper.map(DoraBenchmark.y2021.changeFailureRate) == [.medium, .low])
        #expect(DoraBenchmark.y2023.changeFailureRate(0) == .elite)
    }

    @Test("report years without a consistent table are refused, with the reason", arguments: [2022, 2024, 2025, 2019])
    func unsupportedYears(year: Int) {
        #expect(throws: TollgateError.self) { try DoraBenchmark.named(year) }
        do {
            _ = try DoraBenchmark.named(year)
        } catch {
            #expect(error.message.contains("use 2023 or 2021"))
        }
    }

    /// June 2026 starts on a Monday: the 30-day window ending July 1 covers four whole ISO weeks
    /// and two days of a fifth, and one calendar month.
    static let june = DoraWindow(end: Instant(rfc3339: "2026-07-01T00:00:00Z")!, days: 30)

    func frequency(days: [String], window: DoraWindow = june, benchmark: DoraBenchmark) -> DoraReport.DeploymentFrequency {
        let deployments = days.enumerated().map { i, day in
            Deployment(id: "d\(i)", model: "m", version: "\(i)", at: Instant(rfc3339: day + "T12:00:00Z")!, recordedAt: Instant(rfc3339: day + "T12:00:00Z")!)
        }
        return DoraCalculator(window: window, benchmark: benchmark).reports(DoraFacts(deployments: deployments))[0].deploymentFrequency
    }

    static func weekdays(_ perWeek: Int) -> [String] {
        (0..<4).flatMap { week in (0..<perWeek).map { String(format: "2026-06-%02d", 1 + week * 7 + $0) } } + ["2026-06-29", "2026-06-30"]
    }

    @Test("deployment frequency, 2023: median 5 deployment days a week elite, 1 high, a month medium, less low")
    func frequency2023() {
        #expect(frequency(days: Self.weekdays(5), benchmark: .y2023).level == .elite)
        #expect(frequency(days: Self.weekdays(5), benchmark: .y2023).medianDaysPerWeek == 5)
        #expect(frequency(days: Self.weekdays(4), benchmark: .y2023).level == .high)
        let mondays = ["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29"]
        #expect(frequency(days: mondays, benchmark: .y2023).level == .high)
        #expect(frequency(days: ["2026-06-10"], benchmark: .y2023).level == .medium)
        // 90 days ending July 1 start April 2: three months, one with a deployment day.
        let quarter = DoraWindow(end: Self.june.end, days: 90)
        let q = frequency(days: ["2026-06-10"], window: quarter, benchmark: .y2023)
        #expect(q.medianDaysPerMonth == 0)
        #expect(q.level == .low)
    }

    @Test("deployment frequency, 2021: weekly elite, monthly high, six-monthly medium, less low")
    func frequency2021() {
        #expect(frequency(days: Self.weekdays(5), benchmark: .y2021).level == .elite)
        #expect(frequency(days: Self.weekdays(4), benchmark: .y2021).level == .high)
        #expect(frequency(days: ["2026-06-10"], benchmark: .y2021).level == .high)
        let quarter = DoraWindow(end: Self.june.end, days: 90)
        #expect(frequency(days: ["2026-06-10"], window: quarter, benchmark: .y2021).level == .medium) // 1 day × 182.5/90 ≥ 1
        let year = DoraWindow(end: Self.june.end, days: 365)
        #expect(frequency(days: ["2026-06-10"], window: year, benchmark: .y2021).level == .low) // 182.5/365 < 1
    }
}
