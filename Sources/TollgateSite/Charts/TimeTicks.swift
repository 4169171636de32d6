import Foundation

/// Ticks for a time axis: the finest calendar step (hours, days, weeks, months, years) whose
/// labels, at their widest, leave a gap between neighbours and stay inside the chart. Labels are
/// as short as the step allows ("Jun 3", "Jun 2026", "2026"), all in UTC.
enum TimeTicks {
    struct Tick: Equatable {
        var milliseconds: Int64
        var label: String
    }

    enum Step {
        case hours(Int), days(Int), weeks(Int), months(Int), years(Int)
    }

    static let steps: [Step] = [
        .hours(1), .hours(3), .hours(6), .hours(12), .days(1), .days(2), .weeks(1), .weeks(2),
        .months(1), .months(3), .months(6), .years(1), .years(2), .years(5), .years(10), .years(25)
    ]

    static let gap = 8.0

    /// `position` maps a time to its x; labels are centred on their tick and must fit in `0...width`.
    static func ticks(from start: Int64, to end: Int64, width: Double, position: (Int64) -> Double) -> [Tick] {
        for step in steps {
            // A tick whose label would leave the chart (at either edge) is dropped, not the step.
            let ticks = candidates(step, from: start, to: end).filter { t in
                let half = TextWidth.upperBound(t.label) / 2
                let x = position(t.milliseconds)
                return x - half >= 0 && x + half <= width
            }
            if ticks.count > 40 || ticks.isEmpty { continue }
            if fits(ticks, width: width, position: position) { return ticks }
        }
        // Nothing fits (a span of centuries): the first time alone.
        return [Tick(milliseconds: start, label: label(start, .years(1)))]
    }

    static func fits(_ ticks: [Tick], width: Double, position: (Int64) -> Double) -> Bool {
        var previousRight = -Double.infinity
        for t in ticks {
            let half = TextWidth.upperBound(t.label) / 2
            let x = position(t.milliseconds)
            if x - half < 0 || x + half > width { return false }
            if x - half < previousRight + gap { return false }
            previousRight = x + half
        }
        return true
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func candidates(_ step: Step, from start: Int64, to end: Int64) -> [Tick] {
        let hour: Int64 = 3_600_000
        let day = 24 * hour
        func aligned(_ size: Int64, offset: Int64 = 0) -> [Tick] {
            let relative = start - offset
            // The first multiple of `size` at or after `start` (floor division, any sign).
            var t = (relative / size - (relative % size < 0 ? 1 : 0)) * size + offset
            if t < start { t += size }
            var out: [Tick] = []
            while t <= end, out.count <= 41 {
                if t >= start { out.append(Tick(milliseconds: t, label: label(t, step))) }
                t += size
            }
            return out
        }
        switch step {
        case .hours(let n): return aligned(Int64(n) * hour)
        case .days(let n): return aligned(Int64(n) * day)
        // ISO weeks start on Monday; the epoch was a Thursday.
        case .weeks(let n): return aligned(Int64(n) * 7 * day, offset: -3 * day)
        case .months(let n): return calendarTicks(months: n, start: start, end: end, step: step)
        case .years(let n): return calendarTicks(months: 12 * n, start: start, end: end, step: step)
        }
    }

    /// First days of months whose index (counted from year 0) is a multiple of `months`.
    static func calendarTicks(months: Int, start: Int64, end: Int64, step: Step) -> [Tick] {
        let first = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(start) / 1000))
        var index = (first.year ?? 1970) * 12 + (first.month ?? 1) - 1
        index = ((index + months - 1) / months) * months
        var out: [Tick] = []
        while out.count <= 41 {
            let date = calendar.date(from: DateComponents(year: index / 12, month: index % 12 + 1, day: 1))!
            let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
            if ms > end { break }
            if ms >= start { out.append(Tick(milliseconds: ms, label: label(ms, step))) }
            index += months
        }
        return out
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func label(_ ms: Int64, _ step: Step) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        let month = monthNames[(c.month ?? 1) - 1]
        let day = c.day ?? 1
        let year = c.year ?? 1970
        switch step {
        case .hours: return "\(month) \(day) " + String(format: "%02d:00", c.hour ?? 0)
        case .days, .weeks: return "\(month) \(day)"
        case .months: return "\(month) \(year)"
        case .years: return String(year)
        }
    }
}
