/// Scores with their binary labels, ranked once to give ROC AUC and average precision.
///
/// Each row is one `UInt64`: the score's bit pattern in the low 63 bits (scores are checked to
/// lie in [0, 1], and the bit patterns of non-negative doubles sort like the values) and the
/// label in the top bit. Eight bytes a row, and a radix sort instead of a comparison sort.
struct ScoreRanking: Sendable {
    private(set) var keys: [UInt64] = []
    private var sorted = true

    private static let labelBit: UInt64 = 1 << 63

    mutating func add(score: Double, positive: Bool) {
        let bits = (score == 0 ? 0 : score.bitPattern) // -0.0 ranks with 0.0
        keys.append(bits | (positive ? Self.labelBit : 0))
        sorted = false
    }

    /// Takes the same keys already ranked (DeLong's table sorted a copy): no second sort.
    mutating func adoptSorted(_ ranked: [UInt64]) {
        precondition(ranked.count == keys.count)
        keys = ranked
        sorted = true
    }

    mutating func merge(_ other: ScoreRanking) {
        keys.append(contentsOf: other.keys)
        sorted = keys.count <= 1
    }

    /// ROC AUC as scikit-learn computes it: trapezoids over distinct thresholds, which is the
    /// Mann–Whitney statistic with ties counted as one half. Exact in integers until the end.
    /// NaN when only one class is present (scikit-learn ≥ 1.6 returns NaN with a warning).
    mutating func rocAUC() -> Double {
        sortIfNeeded()
        var negativesBelow: UInt64 = 0
        var twiceNumerator: UInt64 = 0
        var positives: UInt64 = 0
        forEachTieBlock { pos, neg in
            twiceNumerator &+= 2 &* pos &* negativesBelow &+ pos &* neg
            negativesBelow &+= neg
            positives &+= pos
        }
        guard positives > 0, negativesBelow > 0 else { return .nan }
        return Double(twiceNumerator) / (2 * Double(positives) * Double(negativesBelow))
    }

    /// Average precision as a step sum over distinct thresholds, highest first, without
    /// interpolation. With no positives scikit-learn returns 0.0 (recall set to one).
    mutating func averagePrecision() -> Double {
        sortIfNeeded()
        var totalPositives: UInt64 = 0
        for key in keys where key & Self.labelBit != 0 { totalPositives += 1 }
        guard totalPositives > 0 else { return 0.0 }
        var truePositives: UInt64 = 0
        var falsePositives: UInt64 = 0
        var previousRecall = 0.0
        var sum = CompensatedSum()
        forEachTieBlock(descending: true) { pos, neg in
            truePositives += pos
            falsePositives += neg
            let recall = Double(truePositives) / Double(totalPositives)
            let precision = Double(truePositives) / Double(truePositives + falsePositives)
            sum.add((recall - previousRecall) * precision)
            previousRecall = recall
        }
        return max(0, sum.value)
    }

    /// Runs of equal scores, sorted first, with their positive and negative counts.
    mutating func forEachBlock(descending: Bool = false, _ body: (UInt64, UInt64) -> Void) {
        sortIfNeeded()
        forEachTieBlock(descending: descending, body)
    }

    /// Visits runs of equal scores, in ascending (or descending) score order, with their
    /// positive and negative counts.
    private func forEachTieBlock(descending: Bool = false, _ body: (UInt64, UInt64) -> Void) {
        let n = keys.count
        let scoreMask = ~Self.labelBit
        keys.withUnsafeBufferPointer { k in
            var i = descending ? n - 1 : 0
            let step = descending ? -1 : 1
            while descending ? i >= 0 : i < n {
                let score = k[i] & scoreMask
                var pos: UInt64 = 0
                var neg: UInt64 = 0
                while descending ? i >= 0 : i < n, k[i] & scoreMask == score {
                    if k[i] & Self.labelBit != 0 { pos += 1 } else { neg += 1 }
                    i += step
                }
                body(pos, neg)
            }
        }
    }

    private mutating func sortIfNeeded() {
        guard !sorted else { return }
        RadixSort.sortLow63Bits(&keys)
        sorted = true
    }
}

/// Least-significant-digit radix sort on 11-bit digits (six passes cover 64 bits; a 2,048-entry
/// histogram stays in L1), skipping every digit all keys share — for probabilities in [0, 1]
/// the exponent's digits usually are.
enum RadixSort {
    private static let digitBits = 11
    private static let buckets = 1 << digitBits
    private static let passes = (64 + digitBits - 1) / digitBits

    /// Sorts by `key & mask`, stably.
    static func sort(_ keys: inout [UInt64], by mask: UInt64) {
        let n = keys.count
        guard n > 1 else { return }
        if n < 256 {
            keys.sort { $0 & mask < $1 & mask }
            return
        }
        let digitMask = UInt64(buckets - 1)
        var histograms = [Int](repeating: 0, count: passes * buckets)
        keys.withUnsafeBufferPointer { k in
            histograms.withUnsafeMutableBufferPointer { h in
                for key in k {
                    var v = key & mask
                    for pass in 0..<passes {
                        h[pass * buckets + Int(v & digitMask)] += 1
                        v >>= UInt64(digitBits)
                    }
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var offsets = [Int](repeating: 0, count: buckets)
        for pass in 0..<passes {
            let base = pass * buckets
            if histograms[base..<base + buckets].contains(n) { continue } // every key has the same digit
            var running = 0
            for b in 0..<buckets {
                offsets[b] = running
                running += histograms[base + b]
            }
            let shift = UInt64(pass * digitBits)
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { o in
                        for key in source {
                            let b = Int(((key & mask) >> shift) & digitMask)
                            target[o[b]] = key
                            o[b] += 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }

    /// Sorts by score, ignoring the label in the top bit.
    static func sortLow63Bits(_ keys: inout [UInt64]) { sort(&keys, by: ~(1 << 63)) }
}
