import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Sharding: accumulating shards separately and merging gives the metrics of one pass.
@Suite struct AccumulatorMergeTests {
    struct Rows {
        var labels: [Double] = []
        var predictions: [[Double]] = []
    }

    /// Deterministic pseudo-random rows (SplitMix64), with ties from rounding to two decimals.
    static func rows(_ n: Int, classes: Int, seed: UInt64) -> Rows {
        var state = seed
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var rows = Rows()
        for _ in 0..<n {
            let label = Double(Int(next() * Double(classes)))
            rows.labels.append(label)
            if classes == 2 {
                rows.predictions.append([((label * 0.3 + next() * 0.7) * 100).rounded() / 100])
            } else {
                var p = (0..<classes).map { k in next() + (Double(k) == label ? 0.5 : 0) }
                let total = p.reduce(0, +)
                p = p.map { $0 / total }
                rows.predictions.append(p)
            }
        }
        return rows
    }

    func check<A: MetricAccumulator>(_ make: () -> A, _ rows: Rows) {
        var whole = make()
        var shards = [make(), make(), make()]
        for i in rows.labels.indices {
            whole.add(label: rows.labels[i], values: rows.predictions[i])
            shards[i % 3].add(label: rows.labels[i], values: rows.predictions[i])
        }
        var merged = shards[0]
        merged.merge(shards[1])
        merged.merge(shards[2])
        #expect(merged.count == whole.count)
        let expected = whole.metrics()
        let actual = merged.metrics()
        #expect(Set(expected.keys) == Set(actual.keys))
        for (name, value) in expected {
            #expect(agrees(actual[name], value, tolerance: 1e-12), "\(name): merged \(actual[name]!) vs one pass \(value)")
        }
    }

    @Test func binaryShardsMergeToOnePass() {
        check({ BinaryAccumulator(threshold: 0.5) }, Self.rows(5_000, classes: 2, seed: 1))
    }

    @Test func multiclassShardsMergeToOnePass() {
        check({ MulticlassAccumulator(classCount: 4, hasProbabilities: true) }, Self.rows(3_000, classes: 4, seed: 2))
    }

    @Test func regressionShardsMergeToOnePass() {
        var rows = Self.rows(2_000, classes: 2, seed: 3)
        rows.labels = rows.labels.indices.map { Double($0 % 17) * 1.5 }
        check({ RegressionAccumulator() }, rows)
    }

    @Test func rocAUCCountsTiesAsOneHalf() {
        // Every score tied: AUC is exactly one half, whatever the labels.
        var accumulator = BinaryAccumulator(threshold: 0.5)
        for i in 0..<1_000 { accumulator.add(label: Double(i % 3 == 0 ? 1 : 0), values: [0.42]) }
        #expect(accumulator.metrics()["roc_auc"] == 0.5)
    }

    @Test func theRadixSortOrdersLikeTheStandardSort() {
        var keys: [UInt64] = (0..<100_000).map { i in
            let score = Double((i &* 7919) % 10_007) / 10_007
            return score.bitPattern | (i % 2 == 0 ? 1 << 63 : 0)
        }
        let expected = keys.map { $0 & ~(1 << 63) }.sorted()
        RadixSort.sortLow63Bits(&keys)
        #expect(keys.map { $0 & ~(1 << 63) } == expected)
    }
}
