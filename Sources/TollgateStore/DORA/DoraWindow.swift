import TollgateCore

/// The period DORA looks at: `days` whole days ending (exclusively) at `end`.
public struct DoraWindow: Sendable, Equatable, Codable {
    public var end: Instant
    public var days: Int

    public init(end: Instant, days: Int) {
        self.end = end
        self.days = days
    }

    public var start: Instant { Instant(milliseconds: end.milliseconds - Int64(days) * 86_400_000) }

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

    var firstDay: Int64 { start.day }
    var lastDay: Int64 { Instant(milliseconds: end.milliseconds - 1).day }
}
