/// DeLong's structural components of one version, looked up by score.
///
/// For a positive row the component is the share of negatives scored below it (ties count
/// half); for a negative row, the share of positives scored above it. Both depend on the
/// score alone, so a table over the version's distinct scores replaces per-row midranks, and
/// DeLong's test needs no kept rows: the accumulators' score keys are still in row order
/// after the pass (they are sorted only when metrics are asked for), so rows pair up across
/// versions by position.
struct ScorePlacements {
    /// Distinct scores' bit patterns, ascending.
    private let scores: [UInt64]
    /// Per distinct score: a positive's component, and a negative's.
    private let positiveComponent: [Double]
    private let negativeComponent: [Double]
    let positives: Int
    let negatives: Int
    /// The mean component of each class: both equal the ROC AUC.
    let auc: Double

    static let labelBit: UInt64 = 1 << 63

    /// Where each bucket of scores (their top `bucketBits` bits) starts in `scores`, so a
    /// lookup searches a few neighbouring entries instead of the whole table: a binary search
    /// over millions of scores is a cache miss a step, and DeLong looks up every row twice.
    private let bucketStarts: [Int32]
    private static let bucketBits = 20
    private static let bucketShift = UInt64(63 - bucketBits)

    /// The ranked keys, for the accumulator to keep (its metrics need them sorted too).
    private(set) var sortedKeys: [UInt64]

    init(keys: [UInt64]) {
        var sorted = keys
        RadixSort.sortLow63Bits(&sorted)
        var distinct: [UInt64] = []
        var positivesAt: [Int32] = []
        var negativesAt: [Int32] = []
        distinct.reserveCapacity(sorted.count)
        for key in sorted {
            let score = key & ~Self.labelBit
            let positive = key & Self.labelBit != 0
            if distinct.isEmpty || distinct[distinct.count - 1] != score {
                distinct.append(score)
                positivesAt.append(0)
                negativesAt.append(0)
            }
            if positive { positivesAt[positivesAt.count - 1] += 1 } else { negativesAt[negativesAt.count - 1] += 1 }
        }
        let m = positivesAt.reduce(0) { $0 + Int($1) }
        let n = negativesAt.reduce(0) { $0 + Int($1) }
        var forPositive = [Double](repeating: 0, count: distinct.count)
        var forNegative = forPositive
        var negativesBelow = 0
        var positivesAbove = m
        var sum = CompensatedSum()
        for k in distinct.indices {
            positivesAbove -= Int(positivesAt[k])
            forPositive[k] = (Double(negativesBelow) + 0.5 * Double(negativesAt[k])) / Double(n)
            forNegative[k] = (Double(positivesAbove) + 0.5 * Double(positivesAt[k])) / Double(m)
            sum.add(Double(positivesAt[k]) * forPositive[k])
            negativesBelow += Int(negativesAt[k])
        }
        var starts = [Int32](repeating: Int32(distinct.count), count: (1 << Self.bucketBits) + 1)
        var bucket = 0
        for (k, score) in distinct.enumerated() {
            let own = Int(score >> Self.bucketShift)
            while bucket <= own {
                starts[bucket] = Int32(k)
                bucket += 1
            }
        }
        scores = distinct
        positiveComponent = forPositive
        negativeComponent = forNegative
        bucketStarts = starts
        sortedKeys = sorted
        positives = m
        negatives = n
        auc = sum.value / Double(m)
    }

    /// The component of the row with this key (score bits and label bit); the score must be
    /// one of the table's.
    func component(_ key: UInt64) -> Double {
        let score = key & ~Self.labelBit
        let bucket = Int(score >> Self.bucketShift)
        var lo = Int(bucketStarts[bucket])
        var hi = Int(bucketStarts[bucket + 1]) - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] < score { lo = mid + 1 } else { hi = mid }
        }
        return key & Self.labelBit != 0 ? positiveComponent[lo] : negativeComponent[lo]
    }
}

extension DeLongTest {
    /// DeLong's test from two versions' row-ordered score keys (the same rows, same order).
    /// Nil when a class has fewer than two rows.
    init?(candidateKeys: [UInt64], championKeys: [UInt64], champion: ScorePlacements) {
        self.init(candidateKeys: candidateKeys, candidate: ScorePlacements(keys: candidateKeys), championKeys: championKeys, champion: champion)
    }

    init?(candidateKeys: [UInt64], candidate mine: ScorePlacements, championKeys: [UInt64], champion: ScorePlacements) {
        guard champion.positives >= 2, champion.negatives >= 2, candidateKeys.count == championKeys.count else { return nil }
        let m = Double(champion.positives)
        let n = Double(champion.negatives)
        // Centred cross-products per class; the means are the AUCs, known before the pass.
        var pos = (aa: CompensatedSum(), bb: CompensatedSum(), ab: CompensatedSum())
        var neg = pos
        for i in candidateKeys.indices {
            let a = mine.component(candidateKeys[i]) - mine.auc
            let b = champion.component(championKeys[i]) - champion.auc
            if candidateKeys[i] & ScorePlacements.labelBit != 0 {
                pos.aa.add(a * a)
                pos.bb.add(b * b)
                pos.ab.add(a * b)
            } else {
                neg.aa.add(a * a)
                neg.bb.add(b * b)
                neg.ab.add(a * b)
            }
        }
        let s11 = pos.aa.value / (m - 1) / m + neg.aa.value / (n - 1) / n
        let s22 = pos.bb.value / (m - 1) / m + neg.bb.value / (n - 1) / n
        let s12 = pos.ab.value / (m - 1) / m + neg.ab.value / (n - 1) / n
        self.init(aucCandidate: mine.auc, aucChampion: champion.auc, covariance: [[s11, s12], [s12, s22]])
    }
}
