#if canImport(Glibc)
    import Glibc
#endif

/// The one-sample Kolmogorov distribution's survival function P(D_n ≥ x), as
/// `scipy.stats.kstwo.sf(x, n)` computes it, for the asymptotic two-sample KS p-value.
///
/// scipy (after Simard & L'Ecuyer 2011) is exact in some regions and approximate in others, and
/// the approximations differ from the exact value by up to ~1e-7. To agree with scipy to 1e-9 the
/// same method must be used in the same region, so this follows scipy's choice exactly:
/// * closed forms at the ends (Ruben–Gambino for n·x ≤ 1 and n·x ≥ n − 1);
/// * twice the one-sided Smirnov tail where the two tails cannot both be crossed in practice
///   (x ≥ 0.5; n·x² > 4 for n ≤ 140; n·x² ≥ 2.2 for n > 140), which is not exact: it omits a
///   term of about 2·exp(−8n·x²), 5e-8 at n·x² = 2.2;
/// * the exact distribution (Marsaglia–Tsang–Wang; scipy uses Durbin's matrix or Pomeranz, same
///   values) where n ≤ 140, or n ≤ 100,000 with n·x^1.5 ≤ 1.4;
/// * Pelz–Good's asymptotic series in 1/√n everywhere else.
enum Kolmogorov {
    static func survival(_ x: Double, n: Int) -> Double {
        guard n > 0, !x.isNaN else { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nn = Double(n)
        let t = nn * x
        if t <= 1 {
            // Ruben–Gambino: P(D_n ≤ x) = n!/nⁿ·(2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n, and 0 below.
            if t <= 0.5 { return 1 }
            let cdf = exp(SpecialFunctions.logGamma(nn + 1) - nn * log(nn) + nn * log(2 * t - 1))
            return clip(1 - cdf)
        }
        if t >= nn - 1 { return clip(2 * pow(1 - x, nn)) } // Ruben–Gambino, upper end
        if x >= 0.5 { return clip(2 * smirnov(n, x)) }
        let nx2 = t * x
        if n <= 140 {
            return nx2 <= 4 ? clip(1 - exactCDF(x, n: n)) : clip(2 * smirnov(n, x))
        }
        if nx2 >= 370 { return 0 }
        if nx2 >= 2.2 { return clip(2 * smirnov(n, x)) }
        if n <= 100_000, nn * pow(x, 1.5) <= 1.4 { return clip(1 - exactCDF(x, n: n)) }
        return clip(1 - pelzGoodCDF(x, n: n))
    }

    private static func clip(_ p: Double) -> Double { min(1, max(0, p)) }

    /// The one-sided tail P(D⁺_n ≥ x), as `scipy.special.smirnov`: Birnbaum–Tingey's sum
    /// x·Σ_{j=0}^{⌊n(1−x)⌋} C(n, j)·(1 − x − j/n)^(n−j)·(x + j/n)^(j−1) up to n = 1,000,000 (every
    /// term positive, so summing from logarithms loses nothing to cancellation), and above that
    /// the approximation exp(−(6nx + 1)²/18n) that scipy switches to (measured: identical to
    /// 1e-15 for n > 10⁶, 2.6e-6 away from the sum at n = 10⁶).
    static func smirnov(_ n: Int, _ x: Double) -> Double {
        let nn = Double(n)
        if n > 1_000_000 { return exp(-(6 * nn * x + 1) * (6 * nn * x + 1) / (18 * nn)) }
        let last = Int((nn * (1 - x)).rounded(.down))
        guard last >= 0 else { return 0 }
        let logFactorialN = SpecialFunctions.logGamma(nn + 1)
        var sum = 0.0
        for j in 0...last {
            let jj = Double(j)
            let below = 1 - x - jj / nn
            guard below > 0 else { continue }
            let logTerm =
                logFactorialN - SpecialFunctions.logGamma(jj + 1) - SpecialFunctions.logGamma(nn - jj + 1)
                + (nn - jj) * log(below) + (jj - 1) * log(x + jj / nn)
            sum += exp(logTerm)
        }
        return x * sum
    }

    /// Pelz & Good (1976): P(D_n ≤ x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2}, z = x√n,
    /// each Kᵢ a theta-like series in exp(−π²(k+½)²/2z²) (and, for K2 and K3, exp(−π²k²/2z²)).
    static func pelzGoodCDF(_ x: Double, n: Int) -> Double {
        let rootN = Double(n).squareRoot()
        let z = x * rootN
        let z2 = z * z
        let z4 = z2 * z2
        let z6 = z4 * z2
        let z8 = z4 * z4
        let pi2 = Double.pi * Double.pi
        let pi4 = pi2 * pi2
        let pi6 = pi4 * pi2
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var s3 = 0.0
        for k in 0..<100 {
            let h2 = (Double(k) + 0.5) * (Double(k) + 0.5)
            let e = exp(-pi2 * h2 / (2 * z2))
            if e == 0 { break }
            s0 += e
            s1 += (pi2 * h2 - z2) * e
            s2 += (6 * z6 + 2 * z4 + pi2 * (2 * z4 - 5 * z2) * h2 + pi4 * (1 - 2 * z2) * h2 * h2) * e
            s3 +=
                (pi6 * h2 * h2 * h2 * (5 - 30 * z2) + pi4 * h2 * h2 * (212 * z4 - 60 * z2)
                    + pi2 * h2 * (135 * z4 - 96 * z6) - 30 * z6 - 90 * z8) * e
        }
        var r2 = 0.0
        var r3 = 0.0
        for k in 1..<100 {
            let k2 = Double(k * k)
            let e = exp(-pi2 * k2 / (2 * z2))
            if e == 0 { break }
            r2 += pi2 * k2 * e
            r3 += (3 * pi2 * k2 * z2 - pi4 * k2 * k2) * e
        }
        let c = (Double.pi / 2).squareRoot()
        let k0 = (2 * Double.pi).squareRoot() / z * s0
        let k1 = c / (3 * z4) * s1
        let k2 = c / (36 * z6 * z) * s2 - c / (18 * z2 * z) * r2
        let k3 = c / (3240 * z8 * z2) * s3 + c / (108 * z6) * r3
        return k0 + k1 / rootN + k2 / Double(n) + k3 / (Double(n) * rootN)
    }

    /// The exact P(D_n < x) by Marsaglia, Tsang & Wang (2003): one entry of the n-th power of an
    /// m×m matrix, m = 2⌊n·x⌋ + 1, with the decimal exponent carried separately. Only called
    /// where n·x is at most about 60 (see `survival`), so m stays small.
    static func exactCDF(_ x: Double, n: Int) -> Double {
        let nd = Double(n) * x
        let k = Int(nd.rounded(.down)) + 1
        let m = 2 * k - 1
        let hh = Double(k) - nd
        var H = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i - j + 1 >= 0 { H[i * m + j] = 1 }
        }
        for i in 0..<m {
            H[i * m] -= pow(hh, Double(i + 1))
            H[(m - 1) * m + i] -= pow(hh, Double(m - i))
        }
        H[(m - 1) * m] += (2 * hh - 1 > 0) ? pow(2 * hh - 1, Double(m)) : 0
        for i in 0..<m {
            for j in 0..<m where i - j + 1 > 0 {
                for g in 1...(i - j + 1) { H[i * m + j] /= Double(g) }
            }
        }
        let (Q, e) = power(H, m, n)
        var exponent = e
        var s = Q[(k - 1) * m + (k - 1)]
        for i in 1...n {
            s *= Double(i) / Double(n)
            if s < 1e-140 {
                s *= 1e140
                exponent -= 140
            }
        }
        return s * pow(10, Double(exponent))
    }

    /// H^n with decimal exponent tracking, as in Marsaglia–Tsang–Wang.
    private static func power(_ a: [Double], _ m: Int, _ n: Int) -> ([Double], Int) {
        if n == 1 { return (a, 0) }
        var (v, exponent) = power(a, m, n / 2)
        v = multiply(v, v, m)
        exponent *= 2
        if n % 2 == 1 { v = multiply(a, v, m) }
        if v[(m / 2) * m + m / 2] > 1e140 {
            for i in v.indices { v[i] *= 1e-140 }
            exponent += 140
        }
        return (v, exponent)
    }

    private static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for k in 0..<m {
                let aik = a[i * m + k]
                if aik == 0 { continue }
                for j in 0..<m { c[i * m + j] += aik * b[k * m + j] }
            }
        }
        return c
    }
}
