import Testing
import TollgateCore
import TollgateStore

/// The DORA page's week-by-week figures: every ISO week the window touches, each a seven-day
/// window of its own, worked out by hand.
@Suite("DORA weeks")
struct DoraWeeksTests {
    static func t(_ text: String) -> Instant { Instant(rfc3339: text)! }

    static func deployment(
        _ id: String, at: String, model: String = "m", type: Deployment.Kind = .planned, remediates: String? = nil,
        committed: String? = nil
    ) -> Deployment {
        Deployment(
            id: id, model: model, version: id, at: t(at), type: type, commit: committed.map { _ in "c-" + id },
            committedAt: committed.map(t), remediates: remediates, recordedAt: t(at))
    }

    /// Deployments on Monday 06-01, Tuesday 06-09 (failed: a hotfix on Wednesday 06-10 remedies
    /// it), and Thursday 06-11 after the window's end. Window: ten whole dates, 06-01 to 06-10.
    static let facts = DoraFacts(deployments: [
        deployment("d1", at: "2026-06-01T10:00:00Z", committed: "2026-06-01T09:59:30Z"),
        deployment("d2", at: "2026-06-09T10:00:00Z"),
        deployment("d3", at: "2026-06-10T08:00:00Z", type: .hotfix, remediates: "d2"),
        deployment("d4", at: "2026-06-11T10:00:00Z"),
        deployment("x1", at: "2026-06-02T10:00:00Z", model: "other")
    ])

    @Test("one week per ISO week the window touches, Monday first; the last reaches past the window's end")
    func weeks() throws {
        let calculator = DoraCalculator(window: DoraWindow(end: Self.t("2026-06-10T12:00:00Z"), days: 10), benchmark: try DoraBenchmark.named(2023))
        let weeks = calculator.weeks(Self.facts, model: "m")
        #expect(weeks.map(\.monday) == [Self.t("2026-06-01T00:00:00Z"), Self.t("2026-06-08T00:00:00Z")])
        #expect(weeks.map(\.report.deploymentFrequency.deployments) == [1, 3])
        #expect(weeks.map(\.report.changeFailureRate.count) == [0, 1])
        #expect(weeks[0].report.changeLeadTime.median == 30)
        #expect(weeks[1].report.changeLeadTime.median == nil)
        // Each week is a window of its own: seven days ending at the next Monday.
        #expect(weeks[1].report.window.start == Self.t("2026-06-08T00:00:00Z"))
        #expect(weeks[1].report.window.end == Self.t("2026-06-15T00:00:00Z"))
        #expect(weeks.allSatisfy { $0.report.model == "m" && $0.report.reportYear == 2023 })
    }

    @Test("a model with no history still has its weeks, with nothing in them")
    func empty() throws {
        let calculator = DoraCalculator(window: DoraWindow(end: Self.t("2026-06-15T00:00:00Z"), days: 14), benchmark: try DoraBenchmark.named(2021))
        let weeks = calculator.weeks(Self.facts, model: "absent")
        #expect(weeks.count == 2)
        #expect(weeks.allSatisfy { $0.report.deploymentFrequency.deployments == 0 && $0.report.deploymentFrequency.perDay == nil })
    }
}
