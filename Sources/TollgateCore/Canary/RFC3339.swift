/// Parses RFC 3339 timestamps (`2026-03-01T09:30:00.25Z`, `…+02:00`) to epoch seconds.
///
/// Why by hand: TollgateCore cannot use the store's `Instant`, and Foundation's formatters are
/// neither Sendable nor cheap per event line; the grammar is small and fixed.
enum RFC3339 {
    static func seconds(_ text: String) -> Double? {
        let c = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= c.count else { return nil }
            var value = 0
            for i in at..<(at + count) {
                guard c[i] >= 48, c[i] <= 57 else { return nil }
                value = value * 10 + Int(c[i] - 48)
            }
            return value
        }
        guard c.count >= 20, let year = digits(0, 4), c[4] == 45, let month = digits(5, 2), c[7] == 45, let day = digits(8, 2),
            c[10] == 84 || c[10] == 116 || c[10] == 32, let hour = digits(11, 2), c[13] == 58, let minute = digits(14, 2),
            c[16] == 58, let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                fraction += Double(c[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == 90 || c[i] == 122 {
            i += 1
        } else if c[i] == 43 || c[i] == 45, let oh = digits(i + 1, 2), i + 3 < c.count, c[i + 3] == 58, let om = digits(i + 4, 2), oh < 24, om < 60 {
            offset = (oh * 60 + om) * 60 * (c[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
