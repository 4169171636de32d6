import Foundation
import Testing

@testable import TollgateCore

/// Seeded simulations of whole canaries: the sequential test keeps its promise over 20 looks,
/// a fixed-horizon test repeated at each look does not, and a doubled error rate is caught.
@Suite struct SequentialSimulationTests {
    /// Exact Binomial(n, p) draws by inversion (p is small here, so the walk is short).
    struct BinomialSource {
        var random: SplitMix64
        mutating func draw(_ n: Int, _ p: Double) -> Int {
            let u = Double(random.next() >> 11) * 0x1p-53
            var k = 0
            var pmf = exp(Double(n) * log1p(-p))
            var cdf = pmf
            while u > cdf && k < n {
                pmf *= Double(n - k) / Double(k + 1) * p / (1 - p)
                k += 1
                cdf += pmf
            }
            return k
        }
    }

    /// The one-sided 95% normal quantile, scipy.stats.norm.ppf(0.95).
    static let z95 = 1.6448536269514722

    @Test func theQuantileIsTheNormals95thPercentile() {
        #expect(abs(SpecialFunctions.normalCDF(Self.z95) - 0.95) < 1e-12)
    }

    /// 2,000 canaries whose error rate equals the baseline's (1%), 20 looks of 500 requests per
    /// arm, check `error_rate <= baseline`: the sequential test may fail at most α + 2 SE of them.
    @Test func nullCanariesFailAtMostAlphaOverTwentyLooks() {
        let (streams, looks, batch, rate, alpha) = (2000, 20, 500, 0.01, 0.05)
        let test = SequentialTest(alpha: alpha, margin: 0, badDirection: .increase, minSamples: 500, maxSamples: looks * batch)
        var source = BinomialSource(random: SplitMix64(seed: 12))
        var sequentialFails = 0
        var repeatedFixedFails = 0
        var lastLookFixedFails = 0
        for _ in 0..<streams {
            var baseline = ArmStatistics()
            var canary = ArmStatistics()
            var state = SequentialState()
            var failed = false
            var fixedFailed = false
            for look in 1...looks {
                baseline.merge(proportionBatch(successes: source.draw(batch, rate), of: batch))
                canary.merge(proportionBatch(successes: source.draw(batch, rate), of: batch))
                let difference = DifferenceEstimate.unpaired(baseline: baseline, canary: canary, measure: .proportion)!
                if test.look(difference, state: &state).outcome == .fail { failed = true }
                let fixedFails = difference.estimate / difference.variance.squareRoot() > Self.z95
                if fixedFails { fixedFailed = true }
                if look == looks && fixedFails { lastLookFixedFails += 1 }
            }
            if failed { sequentialFails += 1 }
            if fixedFailed { repeatedFixedFails += 1 }
        }
        let n = Double(streams)
        let sequentialRate = Double(sequentialFails) / n
        let fixedRate = Double(repeatedFixedFails) / n
        let standardError = (alpha * (1 - alpha) / n).squareRoot()
        print(
            "null canaries (\(streams) × \(looks) looks): sequential fail rate \(sequentialRate); fixed-horizon z-test repeated at every look \(fixedRate); the same z-test at the last look only \(Double(lastLookFixedFails) / n)"
        )
        #expect(sequentialRate <= alpha + 2 * standardError)
        #expect(fixedRate > alpha + 2 * standardError, "peeking inflates the fixed-horizon test's false fails")
        #expect(fixedRate > 3 * max(sequentialRate, 1 / n))
    }

    /// A canary that doubles the error rate (1% → 2%) against `error_rate <= baseline + 0.005`,
    /// looked at every 1,000 requests per arm up to 200,000: it is caught, and never passed.
    @Test func aDoubledErrorRateIsCaught() {
        let (streams, batch, maxSamples) = (500, 1000, 200_000)
        let test = SequentialTest(alpha: 0.05, margin: 0.005, badDirection: .increase, minSamples: 500, maxSamples: maxSamples)
        var source = BinomialSource(random: SplitMix64(seed: 34))
        var needed: [Int] = []
        var passed = 0
        for _ in 0..<streams {
            var baseline = ArmStatistics()
            var canary = ArmStatistics()
            var state = SequentialState()
            var outcome = SequentialOutcome.continue
            while outcome == .continue {
                baseline.merge(proportionBatch(successes: source.draw(batch, 0.01), of: batch))
                canary.merge(proportionBatch(successes: source.draw(batch, 0.02), of: batch))
                let difference = DifferenceEstimate.unpaired(baseline: baseline, canary: canary, measure: .proportion)!
                outcome = test.look(difference, state: &state).outcome
            }
            if outcome == .fail { needed.append(canary.count) }
            if outcome == .pass { passed += 1 }
        }
        let sorted = needed.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let caught = Double(needed.count) / Double(streams)
        print("doubled error rate (\(streams) canaries): caught \(caught), median requests per arm to fail \(median), passed \(passed)")
        #expect(passed == 0)
        #expect(caught >= 0.95)
        #expect(median < maxSamples)
    }

    /// 1,000 canaries whose log latency has the baseline's distribution (normal, σ = 0.4),
    /// 20 looks of 200 requests per arm, check `mean_ms <= baseline` (margin log 1 = 0): the
    /// plug-in sample variances keep the false-fail rate within α + 2 SE too.
    @Test func nullLatencyCanariesFailAtMostAlpha() {
        let (streams, looks, batch, alpha) = (1000, 20, 200, 0.05)
        let test = SequentialTest(alpha: alpha, margin: 0, badDirection: .increase, minSamples: 200, maxSamples: looks * batch)
        var random = SplitMix64(seed: 56)
        func normal() -> Double {
            let u1 = (Double(random.next() >> 11) + 1) * 0x1p-53
            let u2 = Double(random.next() >> 11) * 0x1p-53
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        var fails = 0
        for _ in 0..<streams {
            var baseline = ArmStatistics()
            var canary = ArmStatistics()
            var state = SequentialState()
            var failed = false
            for _ in 0..<looks {
                for _ in 0..<batch {
                    baseline.add(3 + 0.4 * normal())
                    canary.add(3 + 0.4 * normal())
                }
                let difference = DifferenceEstimate.unpaired(baseline: baseline, canary: canary, measure: .mean)!
                if test.look(difference, state: &state).outcome == .fail { failed = true }
            }
            if failed { fails += 1 }
        }
        let rate = Double(fails) / Double(streams)
        print("null latency canaries (\(streams) × \(looks) looks): sequential fail rate \(rate)")
        #expect(rate <= alpha + 2 * (alpha * (1 - alpha) / Double(streams)).squareRoot())
    }

    /// A batch of 0/1 outcomes as sufficient statistics, without materialising the events.
    private func proportionBatch(successes: Int, of n: Int) -> ArmStatistics {
        let p = Double(successes) / Double(n)
        return ArmStatistics(count: n, mean: p, m2: Double(successes) * (1 - p) * (1 - p) + Double(n - successes) * p * p)
    }
}
