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

    init(keys: [UInt64]) {
        var sorted = keys
        RadixSort.sortLow63Bits(&sorted)
        var distinct: [UInt64] = [], positivesAt: [Int] = [], negativesAt: [Int] = []
        for key in sorted {
            let score = key & ~Self.labelBit, positive = key & Self.labelBit != 0
            if distinct.last != score {
                distinct.append(score)
                positivesAt.append(0)
                negativesAt.append(0)
            }
            if positive { positivesAt[positivesAt.count - 1] += 1 } else { negativesAt[negativesAt.count - 1] += 1 }
        }
        sorted = []
        let m = positivesAt.reduce(0, +), n = negativesAt.reduce(0, +)
        var forPositive = [Double](repeating: 0, count: distinct.count), forNegative = forPositive
        var negativesBelow = 0, positivesAbove = m
        var sum = CompensatedSum()
        for k in distinct.indices {
            positivesAbove -= positivesAt[k]
            forPositive[k] = (Double(negativesBelow) + 0.5 * Double(negativesAt[k])) / Double(n)
            forNegative[k] = (Double(positivesAbove) + 0.5 * Double(positivesAt[k])) / Double(m)
            sum.add(Double(positivesAt[k]) * forPositive[k])
            negativesBelow += negativesAt[k]
        }
        scores = distinct
        positiveComponent = forPositive
        negativeComponent = forNegative
        positives = m
        negatives = n
        auc = sum.value / Double(m)
    }

    /// The component of the row with this key (score bits and label bit).
    func component(_ key: UInt64) -> Double {
        let score = key & ~Self.labelBit
        var lo = 0, hi = scores.count - 1
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
        guard champion.positives >= 2, champion.negatives >= 2, candidateKeys.count == championKeys.count else { return nil }
        let mine = ScorePlacements(keys: candidateKeys)
        let m = Double(champion.positives), n = Double(champion.negatives)
        // Centred cross-products per class; the means are the AUCs, known before the pass.
        var pos = (aa: CompensatedSum(), bb: CompensatedSum(), ab: CompensatedSum())
        var neg = pos
        for i in candidateKeys.indices {
            let a = mine.component(candidateKeys[i]) - mine.auc, b = champion.component(championKeys[i]) - champion.auc
            if candidateKeys[i] & ScorePlacements.labelBit != 0 {
                pos.aa.add(a * a); pos.bb.add(b * b); pos.ab.add(a * b)
            } else {
                neg.aa.add(a * a); neg.bb.add(b * b); neg.ab.add(a * b)
            }
        }
        let s11 = pos.aa.value / (m - 1) / m + neg.aa.value / (n - 1) / n
        let s22 = pos.bb.value / (m - 1) / m + neg.bb.value / (n - 1) / n
        let s12 = pos.ab.value / (m - 1) / m + neg.ab.value / (n - 1) / n
        self.init(aucCandidate: mine.auc, aucChampion: champion.auc, covariance: [[s11, s12], [s12, s22]])
    }
}
