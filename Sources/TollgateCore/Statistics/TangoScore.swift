/// Tango's (1998) score test and interval for the difference of two paired proportions.
///
/// Why this one for `accuracy ... @ mcnemar`: the two versions are right or wrong on the same
/// rows, so the difference of accuracies is (b − c)/n with b and c the discordant counts.
/// Tango's score statistic tests any difference Δ₀, not only zero, which a margin needs; at
/// Δ₀ = 0 it is McNemar's (b − c)/√(b + c). It needs only b, c and n (no rows kept) and is
/// closed-form, so ten million rows cost nothing, where the exact unconditional test
/// maximises over a nuisance parameter with a sum over every table of that size.
///
/// Z(Δ₀) = (b − c − nΔ₀) / √(n(2q̂ + Δ₀(1 − Δ₀))), q̂ the maximum-likelihood probability of
/// the champion-only cell under p_b − p_c = Δ₀: the positive root of
/// 2n q² + (−b − c + (2n − b + c)Δ₀) q − cΔ₀(1 − Δ₀) = 0.
public enum TangoScore {
    /// The score at the null difference `delta`; 0/0 (no discordant rows at Δ₀ = 0) is NaN.
    public static func z(candidateOnly b: Int, championOnly c: Int, rows n: Int, delta: Double) -> Double {
        let (b, c, n) = (Double(b), Double(c), Double(n))
        let a = 2 * n
        let bb = -b - c + (2 * n - b + c) * delta
        let cc = -c * delta * (1 - delta)
        let q = max(0, ((bb * bb - 4 * a * cc).squareRoot() - bb) / (2 * a))
        let variance = n * (2 * q + delta * (1 - delta))
        let numerator = b - c - n * delta
        if variance <= 0 { return numerator == 0 ? .nan : (numerator > 0 ? .infinity : -.infinity) }
        return numerator / variance.squareRoot()
    }

    /// The two-sided interval {Δ₀ : −z < Z(Δ₀) < z}; each end is a one-sided bound at Φ(z).
    ///
    /// Z falls as Δ₀ rises, so each end is found by bisection on [−1, 1] to the last bit.
    public static func interval(candidateOnly b: Int, championOnly c: Int, rows n: Int, z: Double) -> (lower: Double, upper: Double) {
        func score(_ d: Double) -> Double { Self.z(candidateOnly: b, championOnly: c, rows: n, delta: d) }
        /// The Δ₀ where the score crosses `target`, or the edge when it never does.
        func crossing(_ target: Double, edge: Double) -> Double {
            var lo = -1.0
            var hi = 1.0
            // Score above target at lo side, below at hi side; NaN (0/0) counts as 0.
            func above(_ d: Double) -> Bool {
                let s = score(d)
                return (s.isNaN ? 0 : s) > target
            }
            if !above(lo.nextUp) && edge == -1 { return -1 }
            if above(hi.nextDown) && edge == 1 { return 1 }
            for _ in 0..<200 {
                let mid = (lo + hi) / 2
                if mid == lo || mid == hi { break }
                if above(mid) { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
        return (crossing(z, edge: -1), crossing(-z, edge: 1))
    }
}
