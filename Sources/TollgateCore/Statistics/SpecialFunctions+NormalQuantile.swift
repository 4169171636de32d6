extension SpecialFunctions {
    /// Φ⁻¹(p), by bisection on `normalCDF`: a one-sided bound needs it once per check, so
    /// exactness to the last bit is worth more than speed.
    static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return p == 0 ? -.infinity : (p == 1 ? .infinity : .nan) }
        var lo = -40.0
        var hi = 40.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if normalCDF(mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
