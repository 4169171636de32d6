import TollgateCore

/// The period DORA looks at: `days` whole UTC dates, the last of them the date of the window's
/// last instant (just before `end`, which is exclusive), from midnight of the first date to `end`.
///
/// Whole dates, because deployment frequency's level counts deployment days per ISO week and
/// calendar month: a window that began mid-day would touch one more date, sometimes one more
/// week or month, and a second of `--until` would change a level. With whole dates a report run
/// at 09:00 and one run at 23:59 cover the same calendar, and only events recorded in between
/// can make them differ. An `end` at midnight gives exactly `days` × 24 hours; a later `end`
/// gives less (the last date is partial up to `end`). This is DevLake's calendar: the dates of
/// `(from, to]`, with Tollgate's exclusive `end` standing for `to`.
public struct DoraWindow: Sendable, Equatable, Codable {
    public var end: Instant
    public var days: Int

    public init(end: Instant, days: Int) {
        self.end = end
        self.days = days
    }

    /// Midnight (UTC) of the window's first date.
    public var start: Instant { Instant(milliseconds: (lastDay - Int64(days) + 1) * 86_400_000) }

    public func contains(_ t: Instant) -> Bool { t >= start && t < end }

    /// `90d`, `12w`, `6m` (30-day months) or a bare number of days.
    public static func parseDays(_ text: String) throws(TollgateError) -> Int {
        let location = SourceLocation(file: "--window")
        var digits = Substring(text)
        var unit = 1
        if let last = text.last, last.isLetter {
            digits = text.dropLast()
            switch last {
            case "d": unit = 1
            case "w": unit = 7
            case "m": unit = 30
            case "y": unit = 365
            default: throw TollgateError(.config, at: location, "unknown unit '\(last)' in '\(text)'; expected d, w, m or y (e.g. 90d)")
            }
        }
        guard let n = Int(digits), n > 0, n <= 36_500 / unit else {
            throw TollgateError(.config, at: location, "expected a positive length such as 90d, 12w or 6m, got '\(text)'")
        }
        return n * unit
    }

    /// ISO week (Monday first) of a day counted from 1970-01-01, a Thursday.
    static func week(ofDay day: Int64) -> Int64 { Instant(milliseconds: day * 86_400_000).isoWeek }

    static func month(ofDay day: Int64) -> Int64 {
        let (y, m, _) = Instant.civil(fromDays: day)
        return y * 12 + m - 1
    }

    var firstDay: Int64 { lastDay - Int64(days) + 1 }
    /// The date of the last instant before `end`.
    var lastDay: Int64 { Instant(milliseconds: end.milliseconds - 1).day }
}
