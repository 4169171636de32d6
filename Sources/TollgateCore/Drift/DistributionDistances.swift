#if canImport(Glibc)
    import Glibc
#endif

/// Distances between a reference and a current sample, as Evidently scores them.
enum DistributionDistances {
    /// Wasserstein-1 (scipy `_cdf_distance`, p = 1) divided by the reference's population
    /// standard deviation, floored at 0.001 so a constant reference still gives a score.
    static func wassersteinNormed(reference: [Double], current: [Double]) -> Double {
        wasserstein(reference, current) / max(standardDeviation(reference), 0.001)
    }

    static func wasserstein(_ u: [Double], _ v: [Double]) -> Double {
        guard !u.isEmpty, !v.isEmpty else { return .nan } // scipy raises; never a crash
        let su = u.sorted()
        let sv = v.sorted()
        let all = (u + v).sorted()
        var total = 0.0
        var iu = 0
        var iv = 0
        for k in 0..<(all.count - 1) {
            while iu < su.count, su[iu] <= all[k] { iu += 1 }
            while iv < sv.count, sv[iv] <= all[k] { iv += 1 }
            let delta = all[k + 1] - all[k]
            total += abs(Double(iu) / Double(su.count) - Double(iv) / Double(sv.count)) * delta
        }
        return total
    }

    static func standardDeviation(_ x: [Double]) -> Double {
        let mean = Summation.mean(x)
        return Summation.mean(x.map { ($0 - mean) * ($0 - mean) }).squareRoot()
    }

    /// Population stability index over shared bins; an empty bin in either distribution is
    /// replaced by min(nonzero)/1e6 if that is ≤ 1e-4, else by 1e-4 (Evidently's `feel_zeroes`).
    static func psi(_ reference: [Double], _ current: [Double]) -> Double {
        let r = smoothed(reference)
        let c = smoothed(current)
        var sum = 0.0
        for i in r.indices { sum += (r[i] - c[i]) * log(r[i] / c[i]) }
        return sum
    }

    private static func smoothed(_ p: [Double]) -> [Double] {
        guard p.contains(0) else { return p }
        let smallest = p.filter { $0 > 0 }.min() ?? 1
        let fill = smallest <= 1e-4 ? smallest / 1e6 : 1e-4
        return p.map { $0 == 0 ? fill : $0 }
    }

    /// scipy's `jensenshannon`: both renormalised, natural log, the square root of the mean
    /// KL divergence to the midpoint (a distance in [0, √ln 2]).
    static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
        let sp = p.reduce(0, +)
        let sq = q.reduce(0, +)
        let pn = p.map { $0 / sp }
        let qn = q.map { $0 / sq }
        var left = 0.0
        var right = 0.0
        for i in pn.indices {
            let m = (pn[i] + qn[i]) / 2
            if pn[i] > 0 { left += pn[i] * log(pn[i] / m) }
            if qn[i] > 0 { right += qn[i] * log(qn[i] / m) }
        }
        return ((left + right) / 2).squareRoot()
    }
}
