/// The paired percentile bootstrap: every resample draws the same rows for the candidate and
/// the champion, so the difference between them keeps the between-row variance out.
public struct PairedBootstrap: Sendable {
    public struct Settings: Sendable, Equatable {
        public var resamples: Int
        public var seed: UInt64
        public init(resamples: Int = 2000, seed: UInt64 = 0) {
            self.resamples = resamples
            self.seed = seed
        }
    }

    /// Calls `body` with each resample's count per row (how often the row was drawn); one
    /// seeded stream draws every resample, so every statistic sees the same resamples.
    /// `indexSets` replaces the random draws (for tests against a reference run).
    static func forEachResample(rows: Int, settings: Settings, indexSets: [[Int]]? = nil, _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        var counts = [UInt32](repeating: 0, count: rows)
        var random = SplitMix64(seed: settings.seed)
        for b in 0..<(indexSets?.count ?? settings.resamples) {
            for i in counts.indices { counts[i] = 0 }
            if let indexSets {
                for i in indexSets[b] { counts[i] += 1 }
            } else {
                for _ in 0..<rows { counts[Int(random.next(below: UInt64(rows)))] += 1 }
            }
            counts.withUnsafeBufferPointer(body)
        }
    }

    /// Resamples of `statistic(candidate, champion)`, NaN resamples (an AUC with one class) dropped.
    static func resample(
        rows: Int, settings: Settings, indexSets: [[Int]]? = nil,
        candidate: any ResampledMetric, champion: (any ResampledMetric)?, statistic: (Double, Double?) -> Double
    ) -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(indexSets?.count ?? settings.resamples)
        forEachResample(rows: rows, settings: settings, indexSets: indexSets) { w in
            let value = statistic(candidate.value(w), champion?.value(w))
            if !value.isNaN { values.append(value) }
        }
        return values
    }

    /// numpy's `percentile(..., method="linear")`, including its two-sided interpolation.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q / 100
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        let t = h - Double(lo)
        let a = sorted[lo]
        let b = sorted[hi]
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    }

    /// The two-sided percentile interval at `level` (0.95 → 2.5th and 97.5th percentiles).
    static func interval(_ values: [Double], level: Double) -> (Double, Double) {
        let sorted = values.sorted()
        let tail = (1 - level) / 2 * 100
        return (percentile(sorted, tail), percentile(sorted, 100 - tail))
    }
}

/// SplitMix64: tiny, fast, and the same stream on every platform for a seed.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound by Lemire's multiply-shift (bias below 2^-40 for row counts).
    mutating func next(below bound: UInt64) -> UInt64 { next().multipliedFullWidth(by: bound).high }
}
