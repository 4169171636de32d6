import Foundation

extension YAMLNode {
    /// A duration written with its unit (`500ms`, `10s`, `2m`, `1h`), in seconds.
    ///
    /// A bare number is refused: `timeout: 10` could mean seconds or milliseconds, and the
    /// two differ by a factor that turns a patient gate into one that always times out.
    func duration() throws(TollgateError) -> Double {
        let text = try string()
        // "ms" before "s": the first unit the text ends with is the one it was written in.
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value.isFinite, value >= 0 else { break }
            return value * unit.seconds
        }
        throw error("expected a duration with its unit for \(name), e.g. 500ms, 10s, 2m or 1h, found '\(text)'")
    }
}
