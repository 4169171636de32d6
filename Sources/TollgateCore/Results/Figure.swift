import Foundation

/// How check messages and the terminal table write a number. One helper, so that moving every
/// figure to the shared formatting is a change in one place.
public enum Figure {
    /// Four significant decimals is what a reviewer reads; the JSON keeps every digit.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
        if x != 0, abs(x) < 0.0001 || abs(x) >= 1e7 { return String(format: "%.4g", x) }
        var text = String(format: "%.4f", x)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
