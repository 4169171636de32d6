#if canImport(Glibc)
    import Glibc
#endif

/// The two-sample Kolmogorov–Smirnov test, two-sided, as `scipy.stats.ks_2samp(method="auto")`.
///
/// The statistic is exact in integers: D·lcm(n1, n2) is the largest |i·(L/n1) − j·(L/n2)| over
/// the merged sample. The exact p-value walks the lattice of the merged order: a random path
/// from (0,0) to (n1,n2) takes each step with probability proportional to what is left, and
/// P(D ≥ d) is one minus the probability of staying strictly inside the band. That is O(n1·n2)
/// and stable (probabilities, never path counts), used when max(n1, n2) ≤ 10,000 as scipy does.
enum KolmogorovSmirnov {
    struct Result: Equatable {
        var statistic: Double
        var pValue: Double
    }

    static func test(_ a: [Double], _ b: [Double]) -> Result {
        let x = a.sorted()
        let y = b.sorted()
        let n1 = x.count
        let n2 = y.count
        // scipy raises on an empty sample; NaN here, so the caller reports "no value".
        guard n1 > 0, n2 > 0 else { return Result(statistic: .nan, pValue: .nan) }
        let g = gcd(n1, n2)
        let lcm = n1 / g * n2
        let stepX = lcm / n1
        let stepY = lcm / n2
        var i = 0
        var j = 0
        var h = 0
        while i < n1 || j < n2 {
            // Advance past every copy of the next value in both samples (right-continuous ECDFs).
            let v = j == n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j]
            while i < n1, x[i] == v { i += 1 }
            while j < n2, y[j] == v { j += 1 }
            h = max(h, abs(i * stepX - j * stepY))
        }
        let d = Double(h) / Double(lcm)
        if h == 0 { return Result(statistic: d, pValue: 1) }
        if max(n1, n2) <= 10_000 {
            return Result(statistic: d, pValue: min(1, max(0, exactOutside(n1, n2, stepX, stepY, h))))
        }
        // numpy's `round` is half-to-even: n1 = n2 = 10,001 gives n = 5,000, not 5,001.
        let en = (Double(n1) * Double(n2) / Double(n1 + n2)).rounded(.toNearestOrEven)
        return Result(statistic: d, pValue: min(1, max(0, Kolmogorov.survival(d, n: Int(en)))))
    }

    /// P(max |i·sx − j·sy| ≥ h) over uniformly random interleavings of n1 and n2 items.
    private static func exactOutside(_ n1: Int, _ n2: Int, _ sx: Int, _ sy: Int, _ h: Int) -> Double {
        var row = [Double](repeating: 0, count: n2 + 1)
        func inside(_ i: Int, _ j: Int) -> Bool { abs(i * sx - j * sy) < h }
        row[0] = 1
        for j in 1...n2 {
            let left = Double(n2 - j + 1) / Double(n1 + n2 - j + 1)
            row[j] = inside(0, j) ? row[j - 1] * left : 0
        }
        for i in 1...n1 {
            let remainingAbove = n1 - i + 1
            // From (i−1, j) down to (i, j): probability (n1 − (i−1)) / (n1 + n2 − (i−1) − j).
            row[0] = inside(i, 0) ? row[0] * Double(remainingAbove) / Double(n1 + n2 - (i - 1)) : 0
            for j in 1...n2 {
                guard inside(i, j) else {
                    row[j] = 0
                    continue
                }
                let fromTop = row[j] * Double(remainingAbove) / Double(n1 + n2 - (i - 1) - j)
                let fromLeft = row[j - 1] * Double(n2 - j + 1) / Double(n1 + n2 - i - (j - 1))
                row[j] = fromTop + fromLeft
            }
        }
        return 1 - row[n2]
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
