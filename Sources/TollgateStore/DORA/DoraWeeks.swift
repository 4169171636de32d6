import TollgateCore

/// One ISO week of a model's DORA figures: the week as a window of its own, seven days ending
/// at the next Monday, so a week's figures mean what the report's figures mean.
public struct DoraWeek: Sendable, Equatable {
    /// Monday 00:00 UTC of the week.
    public var monday: Instant
    public var report: DoraReport

    public init(monday: Instant, report: DoraReport) {
        self.monday = monday
        self.report = report
    }
}

extension DoraCalculator {
    /// The model's figures week by week, oldest first: one `DoraWeek` for every ISO week the
    /// calculator's window touches (its first and last week may reach outside the window).
    /// Each week is graded against the same benchmark as the whole window.
    public func weeks(_ facts: DoraFacts, model: String) -> [DoraWeek] {
        let first = window.start.isoWeek
        let last = Instant(milliseconds: window.end.milliseconds - 1).isoWeek
        return (first...last).map { week in
            let calculator = DoraCalculator(window: DoraWindow(end: Instant.startOfISOWeek(week + 1), days: 7), benchmark: benchmark)
            return DoraWeek(monday: Instant.startOfISOWeek(week), report: calculator.reports(facts, models: [model])[0])
        }
    }
}
