import Foundation

/// How Tollgate writes a figure for people: one rule per kind of figure, shared by check
/// messages, the terminal, the site, the Markdown summary, JUnit and DORA, so the same figure
/// never reads two ways on two pages. Machine-readable outputs (JSON, OpenMetrics) keep every
/// digit and do not come here.
public enum Formatting {
    /// A figure a table has no value for (missing, NaN or infinite).
    public static let missing = "–"
    /// A figure the data cannot give (DORA: no events of that kind in the window).
    public static let notAvailable = "N/A"

    // MARK: Numbers

    /// Check messages and the terminal table: four decimals with trailing zeros dropped
    /// (`0.75`, `0.1235`), scientific below 0.0001 and from 10 million (`1.5e-05`), and
    /// `NaN`, `inf`, `-inf` spelled out. A reviewer reads four decimals; the JSON keeps every digit.
    public static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
        if x != 0, abs(x) < 0.0001 || abs(x) >= 1e7 { return String(format: "%.4g", x) }
        var text = String(format: "%.4f", x)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A number the user wrote in a check, written back as they would write it: whole numbers
    /// without a decimal point (`0`, `200`), others with Swift's shortest exact form (`0.75`, `1e-05`).
    public static func literal(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Tables of figures (the site, the Markdown summary, JUnit properties): `digits`
    /// significant digits (`%.4g`); `missing` for no value or a non-finite one.
    public static func significant(_ x: Double?, digits: Int = 4, missing: String = Formatting.missing) -> String {
        guard let x, x.isFinite else { return missing }
        return String(format: "%.\(digits)g", x)
    }

    /// A difference between two figures, always signed (`+0.0123`, `-2`), four significant digits.
    public static func signed(_ x: Double?, digits: Int = 4, missing: String = Formatting.missing) -> String {
        guard let x, x.isFinite else { return missing }
        return String(format: "%+.\(digits)g", x)
    }

    /// A fixed number of decimal places (`%.2f`): rates per day, axis ticks, schema values.
    public static func fixed(_ x: Double, places: Int) -> String {
        String(format: "%.\(places)f", x)
    }

    // MARK: Shares

    /// A fraction as a percentage with `places` decimals (`0.125` → `12.5%`); `missing` for none.
    public static func percent(_ fraction: Double?, places: Int = 1, missing: String = Formatting.notAvailable) -> String {
        guard let fraction else { return missing }
        return String(format: "%.\(places)f%%", fraction * 100)
    }

    // MARK: Time

    /// A span of time (lead time, recovery time, a model's age) in the largest unit that keeps
    /// it readable: whole seconds under a minute (`30 s`), then minutes, hours and days with
    /// one decimal (`12.5 min`, `1.5 h`, `3.0 d`). The one rule for spans: 30 seconds is
    /// `30 s` on every page, never `0 min`.
    public static func duration(_ seconds: Double?) -> String {
        guard let s = seconds else { return notAvailable }
        if s < 60 { return String(format: "%.0f s", s) }
        if s < 3600 { return String(format: "%.1f min", s / 60) }
        if s < 86_400 { return String(format: "%.1f h", s / 3600) }
        return String(format: "%.1f d", s / 86_400)
    }

    /// A measured run time in seconds with `places` decimals (`1.25 s`): the tool's own timing,
    /// where a fraction of a second matters, unlike the spans `duration` writes.
    public static func seconds(_ seconds: Double, places: Int = 2) -> String {
        String(format: "%.\(places)f s", seconds)
    }

    /// An instant as RFC 3339 with milliseconds in UTC (`2026-06-08T10:00:00.000Z`), as runs record it.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The calendar date of an RFC 3339 timestamp (`2026-06-08T10:00:00Z` → `2026-06-08`).
    public static func day(_ timestamp: String) -> String { String(timestamp.prefix(10)) }

    // MARK: Sizes

    /// Decimal megabytes (1 MB = 1,000,000 bytes), the unit of `artifact_mb`, as registries and
    /// file browsers count them.
    public static func megabytes(_ bytes: Int64) -> Double { Double(bytes) / 1_000_000 }

    /// A byte count for people: `512 B`, `12.3 kB`, `4.5 MB`, `1.2 GB` (decimal units).
    public static func byteSize(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if abs(b) < 1000 { return "\(bytes) B" }
        if abs(b) < 1_000_000 { return String(format: "%.1f kB", b / 1000) }
        if abs(b) < 1_000_000_000 { return String(format: "%.1f MB", b / 1_000_000) }
        return String(format: "%.1f GB", b / 1_000_000_000)
    }
}
