import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// DeLong, McNemar and the paired bootstrap against the reference runs in
/// `fixtures/reference/metrics_test_vectors.json` (statsmodels, roc_comparison, numpy).
@Suite struct ComparisonTests {
    static func vector(_ name: String) throws -> [String: Any] {
        let root = try #require(try Fixtures.json("reference/metrics_test_vectors.json") as? [String: Any])
        return try #require((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == name })
    }

    static func doubles(_ any: Any?) -> [Double] { (any as? [Any] ?? []).compactMap(number) }

    @Test func mcNemarExactAgreesWithStatsmodels() throws {
        let v = try Self.vector("mcnemar_exact")
        let table = try #require((v["inputs"] as? [String: Any])?["table"] as? [[Int]])
        let expected = Self.doubles(v["expected"])
        let test = McNemarTest(candidateOnly: table[0][1], championOnly: table[1][0])
        #expect(test.statistic == expected[0])
        #expect(agrees(test.pValue, expected[1]), "\(test.pValue)")
        #expect(McNemarTest(candidateOnly: 0, championOnly: 0).pValue == 1)
    }

    @Test func deLongAgreesWithTheFastReferenceImplementation() throws {
        let v = try Self.vector("delong_two_models")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let expected = try #require(v["expected"] as? [String: Any])
        let labels = Self.doubles(inputs["y_true"]).map { $0 == 1 }
        let test = try #require(DeLongTest(labels: labels, candidate: Self.doubles(inputs["score_1"]), champion: Self.doubles(inputs["score_2"])))
        #expect(agrees(test.aucCandidate, try #require(number(expected["auc_1"]))))
        #expect(agrees(test.aucChampion, try #require(number(expected["auc_2"]))))
        let covariance = try #require(expected["cov"] as? [[Any]]).map { $0.compactMap(number) }
        for i in 0..<2 { for j in 0..<2 { #expect(agrees(test.covariance[i][j], covariance[i][j]), "cov[\(i)][\(j)]") } }
        #expect(agrees(test.z, try #require(number(expected["z"]))))
        #expect(agrees(test.pValue, try #require(number(expected["p_two_sided"]))))
    }

    /// The gate computes DeLong from each version's score keys, without kept rows: it must give
    /// the midrank form's numbers, ties and all.
    @Test func deLongFromScoreTablesEqualsTheMidrankForm() throws {
        let v = try Self.vector("delong_two_models")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let cases: [(labels: [Double], a: [Double], b: [Double])] = [
            // The reference scores run from −1.2 to 1.55; the gate takes probabilities, and DeLong
            // depends on the ranking only, so they are mapped into [0, 1] keeping their order.
            (Self.doubles(inputs["y_true"]), Self.doubles(inputs["score_1"]).map { ($0 + 2) / 4 }, Self.doubles(inputs["score_2"]).map { ($0 + 2) / 4 }),
            (
                (0..<500).map { Double(($0 * 7919) % 3 == 0 ? 1 : 0) }, (0..<500).map { Double(($0 * 104_729) % 11) / 10 },
                (0..<500).map { Double(($0 * 31) % 101) / 100 }
            )
        ]
        for (labels, a, b) in cases {
            var candidate = BinaryAccumulator(threshold: 0.5)
            var champion = BinaryAccumulator(threshold: 0.5)
            for i in labels.indices {
                candidate.add(label: labels[i], values: [a[i]])
                champion.add(label: labels[i], values: [b[i]])
            }
            let placements = ScorePlacements(keys: champion.scoreKeys)
            let lean = try #require(DeLongTest(candidateKeys: candidate.scoreKeys, championKeys: champion.scoreKeys, champion: placements))
            let midranks = try #require(DeLongTest(labels: labels.map { $0 == 1 }, candidate: a, champion: b))
            #expect(agrees(lean.aucCandidate, midranks.aucCandidate, tolerance: 1e-13) && agrees(lean.aucChampion, midranks.aucChampion, tolerance: 1e-13))
            for i in 0..<2 { for j in 0..<2 { #expect(agrees(lean.covariance[i][j], midranks.covariance[i][j], tolerance: 1e-12), "cov[\(i)][\(j)]") } }
            #expect(agrees(lean.z, midranks.z, tolerance: 1e-10) && agrees(lean.pValue, midranks.pValue, tolerance: 1e-10), "\(lean.z) vs \(midranks.z)")
        }
    }

    @Test func thePairedBootstrapReproducesTheReferenceResamples() throws {
        let v = try Self.vector("paired_bootstrap_noninferiority_accuracy")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let expected = try #require(v["expected"] as? [String: Any])
        let labels = Self.doubles(inputs["y_true"])
        let indexSets = try #require(inputs["resample_indices"] as? [[Int]])
        let challenger = ResampledMetrics.make("accuracy", task: .binary, labels: labels, predictions: Self.doubles(inputs["pred_challenger"]), threshold: 0.5)
        let champion = ResampledMetrics.make("accuracy", task: .binary, labels: labels, predictions: Self.doubles(inputs["pred_champion"]), threshold: 0.5)
        let deltas = PairedBootstrap.resample(
            rows: labels.count, settings: .init(), indexSets: indexSets, candidate: challenger, champion: champion
        ) { $0 - $1! }
        #expect(deltas.count == indexSets.count)
        let lower = PairedBootstrap.percentile(deltas.sorted(), 5)
        #expect(agrees(lower, try #require(number(expected["lower_5th_percentile_linear"]))), "\(lower)")
        let ci = Self.doubles(expected["ci95_percentile"])
        let (lo, hi) = PairedBootstrap.interval(deltas, level: 0.95)
        #expect(agrees(lo, ci[0]) && agrees(hi, ci[1]), "[\(lo), \(hi)]")
        let margin = try #require(number(inputs["delta_margin"]))
        #expect((lower > -margin) == (expected["non_inferior"] as? Bool), "non-inferiority decision")
    }

    @Test func resampledMetricsWithUnitCountsEqualTheStreamingOnes() {
        var accumulator = BinaryAccumulator(threshold: 0.5)
        let labels = (0..<300).map { Double(($0 * 7919) % 3 == 0 ? 1 : 0) }
        let scores = (0..<300).map { Double(($0 * 104_729) % 101) / 100 }
        for (y, s) in zip(labels, scores) { accumulator.add(label: y, values: [s]) }
        let streaming = accumulator.metrics()
        let ones = [UInt32](repeating: 1, count: labels.count)
        for name in ResampledMetrics.binary {
            let value = ones.withUnsafeBufferPointer {
                ResampledMetrics.make(name, task: .binary, labels: labels, predictions: scores, threshold: 0.5).value($0)
            }
            #expect(agrees(value, streaming[name]!, tolerance: 1e-12), "\(name): \(value) vs \(streaming[name]!)")
        }
    }

    @Test func theSameSeedGivesTheSameResamples() {
        let labels = (0..<200).map { Double($0 % 2) }
        let scores = (0..<200).map { Double(($0 * 37) % 100) / 100 }
        let metric = ResampledMetrics.make("roc_auc", task: .binary, labels: labels, predictions: scores, threshold: 0.5)
        let a = PairedBootstrap.resample(rows: 200, settings: .init(resamples: 300, seed: 9), candidate: metric, champion: nil) { v, _ in v }
        let b = PairedBootstrap.resample(rows: 200, settings: .init(resamples: 300, seed: 9), candidate: metric, champion: nil) { v, _ in v }
        let c = PairedBootstrap.resample(rows: 200, settings: .init(resamples: 300, seed: 10), candidate: metric, champion: nil) { v, _ in v }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func multiclassResampledMetricsWithUnitCountsEqualTheStreamingOnes() {
        let rows = 300
        let k = 3
        let labels = (0..<rows).map { Double(($0 * 7919) % k) }
        var flat: [Double] = []
        for row in 0..<rows {
            let raw = (0..<k).map { Double(((row + 1) * (($0 + 3) * 104_729)) % 97 + 1) }
            let total = raw.reduce(0, +)
            flat += raw.map { $0 / total }
        }
        let ones = [UInt32](repeating: 1, count: rows)
        for probabilities in [true, false] {
            var accumulator = MulticlassAccumulator(classCount: k, hasProbabilities: probabilities)
            var predictions: [Double] = []
            for row in 0..<rows {
                let p = Array(flat[row * k..<(row + 1) * k])
                let values = probabilities ? p : [Double(p.indices.max { p[$0] < p[$1] }!)]
                accumulator.add(label: labels[row], values: values)
                predictions += values
            }
            let streaming = accumulator.metrics()
            for name in ResampledMetrics.multiclass where streaming[name] != nil {
                let metric = ResampledMetrics.make(
                    name, task: .multiclass, labels: labels, predictions: .init(values: predictions, width: probabilities ? k : 1), threshold: 0.5,
                    classCount: k)
                let value = ones.withUnsafeBufferPointer { metric.value($0) }
                #expect(agrees(value, streaming[name]!, tolerance: 1e-12), "\(name) (probabilities: \(probabilities)): \(value) vs \(streaming[name]!)")
            }
        }
    }

    @Test(arguments: [301, 300]) // odd and even row counts: numpy's median takes the middle one or the mean of two
    func regressionResampledMetricsWithUnitCountsEqualTheStreamingOnes(rows: Int) {
        var accumulator = RegressionAccumulator()
        let targets = (0..<rows).map { Double(($0 * 7919) % 113) / 7 }
        let predictions = (0..<rows).map { Double(($0 * 104_729) % 127) / 9 }
        for (y, p) in zip(targets, predictions) { accumulator.add(label: y, values: [p]) }
        let streaming = accumulator.metrics()
        let ones = [UInt32](repeating: 1, count: rows)
        for name in ResampledMetrics.regression {
            let value = ones.withUnsafeBufferPointer {
                ResampledMetrics.make(name, task: .regression, labels: targets, predictions: predictions, threshold: 0).value($0)
            }
            #expect(agrees(value, streaming[name]!, tolerance: 1e-12), "\(name): \(value) vs \(streaming[name]!)")
        }
        // A resample drawing row 0 three times and nothing else has row 0's error as its median.
        var counts = [UInt32](repeating: 0, count: rows)
        counts[0] = 3
        let median = counts.withUnsafeBufferPointer {
            ResampledMetrics.make("median_ae", task: .regression, labels: targets, predictions: predictions, threshold: 0).value($0)
        }
        #expect(median == abs(targets[0] - predictions[0]))
    }

    /// The exact bootstrap of latency percentiles rests on P(Binomial(n, p) ≥ k) = I_p(k, n − k + 1).
    @Test func theIncompleteBetaAgreesWithScipy() {
        // scipy 1.17.1: special.betainc(2, 3, 0.4), betainc(0.5, 0.5, 0.1), stats.binom.sf(k − 1, n, p)
        #expect(agrees(SpecialFunctions.incompleteBeta(0.4, 2, 3), 0.5247999999999999, tolerance: 1e-14))
        #expect(agrees(SpecialFunctions.incompleteBeta(0.1, 0.5, 0.5), 0.20483276469913345, tolerance: 1e-13))
        #expect(agrees(SpecialFunctions.binomialUpperTail(atLeast: 1900, 2000, 0.95), 0.5265709385410842, tolerance: 1e-11))
        let tail = SpecialFunctions.binomialUpperTail(atLeast: 50, 100, 0.3)
        #expect(abs(tail / 2.2060913327165886e-05 - 1) < 1e-10, "\(tail)")
        // Ten million requests: lgamma's absolute error near 1.5e8 bounds this one to ~1e-7.
        #expect(agrees(SpecialFunctions.binomialUpperTail(atLeast: 9_500_000, 10_000_000, 0.95), 0.5003762499980721, tolerance: 1e-7))
        #expect(SpecialFunctions.binomialUpperTail(atLeast: 0, 10, 0.5) == 1)
        #expect(SpecialFunctions.binomialUpperTail(atLeast: 11, 10, 0.5) == 0)
    }
}
