#if canImport(Glibc)
    import Glibc
#endif

/// Turns two samples into matching bin shares for PSI and Jensen–Shannon, as Evidently does.
///
/// Numerical columns whose reference has more than 20 distinct values get numpy's Sturges
/// edges over both samples together (the same floating-point steps, so the bin count agrees
/// even where log2(N)+1 is a whole number); everything else gets one bin per distinct value.
enum DriftBinning {
    static func shares(reference: [Double], current: [Double]) -> (reference: [Double], current: [Double]) {
        if Set(reference).count > 20 {
            let edges = sturgesEdges(reference + current)
            return (histogram(reference, edges), histogram(current, edges))
        }
        let keys = Set(reference).union(current).sorted()
        return (
            keys.map { k in Double(reference.filter { $0 == k }.count) / Double(reference.count) },
            keys.map { k in Double(current.filter { $0 == k }.count) / Double(current.count) }
        )
    }

    static func shares(reference: [String], current: [String]) -> (reference: [Double], current: [Double]) {
        let keys = Set(reference).union(current).sorted()
        var r: [String: Int] = [:]
        var c: [String: Int] = [:]
        for v in reference { r[v, default: 0] += 1 }
        for v in current { c[v, default: 0] += 1 }
        return (keys.map { Double(r[$0] ?? 0) / Double(reference.count) }, keys.map { Double(c[$0] ?? 0) / Double(current.count) })
    }

    /// `np.histogram_bin_edges(x, bins="sturges")`.
    static func sturgesEdges(_ x: [Double]) -> [Double] {
        guard let lo = x.min(), let hi = x.max() else { return [] }
        let ptp = hi - lo
        guard ptp > 0 else { return [lo - 0.5, hi + 0.5] }
        var width = ptp / (log2(Double(x.count)) + 1)
        // numpy: an integer array never gets bins narrower than 1.
        if width < 1, x.allSatisfy({ $0 == $0.rounded() && abs($0) < 9e15 }) { width = 1 }
        let bins = Int((ptp / width).rounded(.up))
        let step = ptp / Double(bins)
        return (0...bins).map { $0 == bins ? hi : Double($0) * step + lo }
    }

    /// `np.histogram(x, edges)[0] / len(x)`: bins [e_i, e_{i+1}), the last one closed.
    static func histogram(_ x: [Double], _ edges: [Double]) -> [Double] {
        guard edges.count >= 2 else { return [] }
        var counts = [Double](repeating: 0, count: edges.count - 1)
        for v in x {
            guard v >= edges[0], v <= edges[edges.count - 1] else { continue }
            var lo = 0
            var hi = edges.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if v >= edges[mid] { lo = mid } else { hi = mid }
            }
            counts[min(lo, counts.count - 1)] += 1
        }
        return counts.map { $0 / Double(x.count) }
    }
}
