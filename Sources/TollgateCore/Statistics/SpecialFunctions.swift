#if canImport(Glibc)
    import Glibc
#endif

/// The few distribution functions the comparisons need, from libm's erfc and lgamma.
enum SpecialFunctions {
    /// Standard normal CDF, Φ(x) = erfc(−x/√2)/2: accurate in both tails.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// log Γ(x) for x > 0 (Glibc's `lgamma`, named so it is not ambiguous with Foundation's).
    static func logGamma(_ x: Double) -> Double { Glibc.lgamma(x) }

    /// P(X ≤ k) for X ~ Binomial(n, 1/2), summed in log space so n in the millions is fine.
    static func binomialHalfCDF(_ k: Int, _ n: Int) -> Double {
        guard k >= 0 else { return 0 }
        guard k < n else { return 1 }
        let logHalfN = Double(n) * log(0.5)
        let logN = logGamma(Double(n) + 1)
        var terms: [Double] = []
        terms.reserveCapacity(k + 1)
        for i in 0...k { terms.append(logN - logGamma(Double(i) + 1) - logGamma(Double(n - i) + 1) + logHalfN) }
        let top = terms.max()!
        var sum = 0.0
        for t in terms.reversed() { sum += exp(t - top) }
        return min(1, exp(top + log(sum)))
    }

    /// P(X ≥ k) for X ~ Binomial(n, p): the regularized incomplete beta I_p(k, n − k + 1).
    static func binomialUpperTail(atLeast k: Int, _ n: Int, _ p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return incompleteBeta(p, Double(k), Double(n - k + 1))
    }

    /// The regularized incomplete beta function I_x(a, b), by the continued fraction on
    /// whichever side converges fast (Lentz's method, as in Numerical Recipes' `betai`).
    static func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * betaFraction(x, a, b) / a }
        return 1 - exp(logFront) * betaFraction(1 - x, b, a) / b
    }

    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ v: Double) -> Double { abs(v) < tiny ? tiny : v }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var h = d
        for step in 1...1_000_000 {
            let m = Double(step)
            let m2 = 2 * m
            let even = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
            d = 1 / guarded(1 + even * d)
            c = guarded(1 + even / c)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))
            d = 1 / guarded(1 + odd * d)
            c = guarded(1 + odd / c)
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
