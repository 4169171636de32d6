/// Nearest-rank percentiles: always a value that was observed, never an interpolation.
///
/// The median is the lower median for an even count, as Apache DevLake computes it
/// (`max(x) where percent_rank() <= 0.5`); `p90` is the smallest value with at least 90% of
/// the values at or below it. Both are what a reader can find in the raw list.
public enum Percentile {
    public static func of(_ p: Double, _ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return of(p, sorted: sorted)
    }

    public static func of(_ p: Double, sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
