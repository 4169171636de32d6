import Foundation

/// A point in time, in whole milliseconds since 1970 UTC.
///
/// History compares, sorts and buckets times by the million; an integer is exact, orders the same
/// way in SQLite and PostgreSQL, and converts to calendar days without a time-zone database.
/// Text is RFC 3339 (`2026-03-01T09:30:00Z`, fraction and offset optional), always written in UTC.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(_ date: Date) { milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public static func now() -> Instant { Instant(Date()) }

    public static func < (a: Instant, b: Instant) -> Bool { a.milliseconds < b.milliseconds }

    public func adding(seconds: Double) -> Instant { Instant(milliseconds: milliseconds + Int64((seconds * 1000).rounded())) }

    /// Seconds from `earlier` to `self`.
    public func seconds(since earlier: Instant) -> Double { Double(milliseconds - earlier.milliseconds) / 1000 }

    /// Days since 1970-01-01 (UTC), rounding towards the past.
    public var day: Int64 { Self.floorDiv(milliseconds, 86_400_000) }

    /// The ISO week (Monday first), counted from the week of 1970-01-01, a Thursday.
    public var isoWeek: Int64 { Self.floorDiv(day + 3, 7) }

    /// Monday 00:00 UTC of an ISO week counted as `isoWeek` counts.
    public static func startOfISOWeek(_ week: Int64) -> Instant { Instant(milliseconds: (week * 7 - 3) * 86_400_000) }

    public var description: String { rfc3339 }

    /// Written digit by digit: exports write millions of these, and `String(format:)` is slow.
    public var rfc3339: String {
        let (y, m, d) = Self.civil(fromDays: day)
        let msOfDay = milliseconds - day * 86_400_000
        let s = msOfDay / 1000
        let ms = msOfDay % 1000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func put(_ value: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = UInt8(48 + v % 10)
                v /= 10
            }
            bytes += digits
        }
        if y < 0 || y > 9999 { return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", y, m, d, s / 3600, s / 60 % 60, s % 60) }
        put(y, 4)
        bytes.append(45)
        put(m, 2)
        bytes.append(45)
        put(d, 2)
        bytes.append(84)
        put(s / 3600, 2)
        bytes.append(58)
        put(s / 60 % 60, 2)
        bytes.append(58)
        put(s % 60, 2)
        if ms != 0 {
            bytes.append(46)
            put(ms, 3)
        }
        bytes.append(90)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses RFC 3339; `nil` when the text is not a complete date-time with a zone.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<at + count {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, let y = digits(0, 4), b[4] == 45, let mo = digits(5, 2), b[7] == 45, let d = digits(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = digits(11, 2), b[13] == 58, let mi = digits(14, 2), b[16] == 58,
            let s = digits(17, 2), (1...12).contains(mo), d >= 1, d <= Self.daysInMonth(y, mo), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var ms: Int64 = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                ms += Int64(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = digits(i + 4, 2), oh < 24, om < 60 {
            offset = (oh * 60 + om) * 60_000 * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Self.days(fromCivil: y, mo, d)
        milliseconds = days * 86_400_000 + ((h * 60 + mi) * 60 + min(s, 59)) * 1000 + ms - offset
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rfc3339)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let parsed = Instant(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an RFC 3339 time such as 2026-03-01T09:30:00Z, got '\(text)'")
        }
        self = parsed
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact over the proleptic Gregorian calendar.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
