import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// `@ mcnemar` and `@ delong` decide like `@ 95%`: pass only when the data show the candidate
/// clears the margin, fail only when they show it misses, inconclusive otherwise. Figures are
/// checked against `fixtures/oracle/paired-tests.json` (scipy; Tango's score made another way,
/// by `fixtures/make_paired_test_oracle.py`) and Tango's (1998) published examples.
@Suite struct MarginTestTests {
    static func oracle(_ key: String) throws -> [[String: Any]] {
        let root = try #require(try Fixtures.json("oracle/paired-tests.json") as? [String: Any])
        return try #require(root[key] as? [[String: Any]])
    }

    static func verdict(_ name: String?) -> Outcome? { name.flatMap(Outcome.init(rawValue:)) }

    // MARK: hand-worked cases

    @Test func sixtyRowsWithFiveLossesAndNoGainsIsNeverAPass() {
        // The case: champion right on 46 of 60, candidate on 41; every discordant row
        // goes the champion's way (b = 0, c = 5). McNemar's exact two-sided p is 0.0625.
        let counts = McNemarTest(candidateOnly: 0, championOnly: 5, rows: 60)
        #expect(counts.pValue == 0.0625)
        // No margin: Z(0) = (0 − 5)/√5 = −√5, so the opposite claim has p = Φ(−√5) ≈ 0.0127 < 0.05.
        let plain = MarginTest(mcnemar: counts, rows: 60, margin: 0, alpha: 0.05)
        #expect(abs(plain.z + 5.0.squareRoot()) < 1e-12)
        #expect(abs(plain.difference - -5.0 / 60) < 1e-15)
        #expect(plain.verdict == .fail)
        // Margin 0.02: A = 120, B = −5 + 125·(−0.02) = −7.5, C = −5·(−0.02)·1.02 = 0.102, so
        // q̂ = (7.5 + √(56.25 − 48.96))/240 = 10.2/240 = 0.0425 and
        // Z = (−5 + 1.2)/√(60·(0.085 − 0.0204)) = −3.8/√3.876 ≈ −1.9302: still shown worse.
        let margin = MarginTest(mcnemar: counts, rows: 60, margin: -0.02, alpha: 0.05)
        #expect(abs(margin.z - -3.8 / 3.876.squareRoot()) < 1e-12)
        #expect(margin.verdict == .fail)
        // A 10-point margin covers the 8.3-point loss only partly: the data cannot tell.
        #expect(MarginTest(mcnemar: counts, rows: 60, margin: -0.10, alpha: 0.05).verdict == .inconclusive)
    }

    @Test func aClearlyNonInferiorCandidateOnManyRowsPassesAndAClearlyWorseOneFails() {
        let even = McNemarTest(candidateOnly: 500, championOnly: 500, rows: 10_000)
        let same = MarginTest(mcnemar: even, rows: 10_000, margin: -0.02, alpha: 0.05)
        #expect(same.verdict == .pass, "\(same)")
        #expect(same.lowerBound > -0.02 && same.lowerBound < 0)
        // Even accuracy is not "not worse at all": without a margin it stays inconclusive.
        #expect(MarginTest(mcnemar: even, rows: 10_000, margin: 0, alpha: 0.05).verdict == .inconclusive)
        let worse = McNemarTest(candidateOnly: 100, championOnly: 400, rows: 10_000)
        let shown = MarginTest(mcnemar: worse, rows: 10_000, margin: -0.01, alpha: 0.05)
        #expect(shown.verdict == .fail)
        #expect(shown.upperBound < -0.01)
    }

    @Test func identicalDecisionsAreNoEvidenceWithoutAMarginAndEnoughWithOne() {
        let none = McNemarTest(candidateOnly: 0, championOnly: 0, rows: 500)
        let plain = MarginTest(mcnemar: none, rows: 500, margin: 0, alpha: 0.05)
        #expect(plain.z.isNaN && plain.verdict == .inconclusive)
        // Z(−δ) = √(nδ/(1 − δ)) = √(500·0.02/0.98) ≈ 3.19 > 1.645.
        let margin = MarginTest(mcnemar: none, rows: 500, margin: -0.02, alpha: 0.05)
        #expect(abs(margin.z - (500 * 0.02 / 0.98).squareRoot()) < 1e-12)
        #expect(margin.verdict == .pass)
    }

    @Test func deLongDecidesOnTheVarianceOfTheDifference() {
        // var(ΔAUC) = 0.0004 + 0.0004 − 2·0.0003 = 0.0002, se = 0.01414.
        let cov = [[0.0004, 0.0003], [0.0003, 0.0004]]
        let even = DeLongTest(aucCandidate: 0.80, aucChampion: 0.80, covariance: cov)
        let close = MarginTest(delong: even, margin: -0.01, alpha: 0.05)
        #expect(abs(close.z - 0.01 / 0.0002.squareRoot()) < 1e-12) // 0.707: p ≈ 0.24
        #expect(close.verdict == .inconclusive)
        #expect(MarginTest(delong: even, margin: -0.05, alpha: 0.05).verdict == .pass) // z ≈ 3.54
        #expect(MarginTest(delong: even, margin: 0, alpha: 0.05).verdict == .inconclusive)
        let worse = DeLongTest(aucCandidate: 0.70, aucChampion: 0.80, covariance: cov)
        #expect(MarginTest(delong: worse, margin: -0.01, alpha: 0.05).verdict == .fail) // z ≈ −6.4
        // One-sided 95% bounds: ±1.6449·se around the difference.
        #expect(abs(close.lowerBound - (0 - 1.6448536269514722 * 0.0002.squareRoot())) < 1e-12)
    }

    @Test func deLongOnFourPerfectlySeparatedRowsIsNoEvidence() throws {
        // Two rows per class is all DeLong needs to run; both versions rank them perfectly, so
        // the variance of the difference is 0. That is too little data, not certainty.
        let delong = try #require(DeLongTest(labels: [true, true, false, false], candidate: [0.9, 0.8, 0.2, 0.1], champion: [0.7, 0.6, 0.4, 0.3]))
        #expect(delong.aucCandidate == 1 && delong.aucChampion == 1)
        let test = MarginTest(delong: delong, margin: -0.01, alpha: 0.05)
        #expect(test.z.isNaN)
        #expect(test.verdict == .inconclusive)
    }

    // MARK: against the reference

    @Test func tangoAgreesWithTheIndependentImplementation() throws {
        let cases = try Self.oracle("tango")
        #expect(cases.count > 80)
        for c in cases {
            let b = try #require(c["b"] as? Int)
            let cc = try #require(c["c"] as? Int)
            let n = try #require(c["n"] as? Int)
            let margin = try #require(number(c["margin"]))
            let alpha = try #require(number(c["alpha"]))
            let test = MarginTest(mcnemar: McNemarTest(candidateOnly: b, championOnly: cc, rows: n), rows: n, margin: margin, alpha: alpha)
            let interval = (c["interval"] as? [Any] ?? []).compactMap(number)
            let label = "b=\(b) c=\(cc) n=\(n) margin=\(margin) α=\(alpha)"
            #expect(agrees(test.z, try #require(number(c["z"]))), "z \(label): \(test.z)")
            #expect(agrees(test.pValue, try #require(number(c["p"]))), "p \(label)")
            #expect(agrees(test.pValueWorse, try #require(number(c["p_worse"]))), "p_worse \(label)")
            #expect(agrees(test.lowerBound, interval[0], tolerance: 1e-9), "lower \(label): \(test.lowerBound) vs \(interval[0])")
            #expect(agrees(test.upperBound, interval[1], tolerance: 1e-9), "upper \(label): \(test.upperBound) vs \(interval[1])")
            #expect(test.verdict == Self.verdict(c["decision"] as? String), "decision \(label)")
        }
    }

    @Test func tangoReproducesThePublishedWorkedExamples() {
        // Tango (1998): sleeping difficulty, n = 32, discordant 9 and 3: 95% interval −0.027 to 0.390.
        let sleep = TangoScore.interval(candidateOnly: 9, championOnly: 3, rows: 32, z: SpecialFunctions.normalQuantile(0.975))
        #expect((sleep.lower * 1000).rounded() / 1000 == -0.027 && (sleep.upper * 1000).rounded() / 1000 == 0.390, "\(sleep)")
        // Soft contact lenses, n = 44, discordant 0 and 1: Z = 1.709 at a margin of 0.1; 90% lower limit −0.096.
        let z = TangoScore.z(candidateOnly: 0, championOnly: 1, rows: 44, delta: -0.1)
        #expect((z * 1000).rounded() / 1000 == 1.709, "\(z)")
        let lens = TangoScore.interval(candidateOnly: 0, championOnly: 1, rows: 44, z: SpecialFunctions.normalQuantile(0.95))
        #expect((lens.lower * 1000).rounded() / 1000 == -0.096, "\(lens)")
    }

    @Test func deLongTailsAgreeWithScipy() throws {
        let v = try ComparisonTests.vector("delong_two_models")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let labels = ComparisonTests.doubles(inputs["y_true"]).map { $0 == 1 }
        let delong = try #require(
            DeLongTest(labels: labels, candidate: ComparisonTests.doubles(inputs["score_1"]), champion: ComparisonTests.doubles(inputs["score_2"])))
        let cases = try Self.oracle("delong")
        #expect(cases.count == 10)
        for c in cases {
            let margin = try #require(number(c["margin"]))
            let alpha = try #require(number(c["alpha"]))
            let test = MarginTest(delong: delong, margin: margin, alpha: alpha)
            let interval = (c["interval"] as? [Any] ?? []).compactMap(number)
            #expect(agrees(test.z, try #require(number(c["z"]))), "z at \(margin)")
            #expect(agrees(test.pValue, try #require(number(c["p"]))), "p at \(margin)")
            #expect(agrees(test.pValueWorse, try #require(number(c["p_worse"]))), "p_worse at \(margin)")
            #expect(agrees(test.lowerBound, interval[0]) && agrees(test.upperBound, interval[1]), "bounds at \(margin), α \(alpha)")
            #expect(test.verdict == Self.verdict(c["decision"] as? String))
        }
    }

    @Test func theNormalQuantileInvertsTheTail() {
        #expect(abs(SpecialFunctions.normalQuantile(0.95) - 1.6448536269514722) < 1e-14)
        #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-14)
    }

    // MARK: error rate at the boundary, simulated

    /// Uniform in [0, 1) from the gate's own seeded stream.
    static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) / 9_007_199_254_740_992 }

    @Test func atTheMarginMcNemarPassesAtMostAlphaOfTheTime() {
        // True accuracies 0.78 (candidate) and 0.80 (champion): exactly at the margin 0.02.
        // Each row: candidate only right with probability 0.05, champion only right 0.07.
        let runs = 2000
        let rows = 1000
        let alpha = 0.05
        var rng = SplitMix64(seed: 20_261_202)
        var passes = 0
        for _ in 0..<runs {
            var b = 0
            var c = 0
            for _ in 0..<rows {
                let u = Self.uniform(&rng)
                if u < 0.05 { b += 1 } else if u < 0.12 { c += 1 }
            }
            let counts = McNemarTest(candidateOnly: b, championOnly: c, rows: rows)
            if MarginTest(mcnemar: counts, rows: rows, margin: -0.02, alpha: alpha).verdict == .pass { passes += 1 }
        }
        let rate = Double(passes) / Double(runs)
        let se = (alpha * (1 - alpha) / Double(runs)).squareRoot()
        print("mcnemar margin test at the boundary: \(passes)/\(runs) passed (rate \(rate), bound \(alpha + 2 * se))")
        #expect(rate <= alpha + 2 * se, "\(passes) of \(runs) runs passed")
    }

    @Test func atTheMarginDeLongPassesAtMostAlphaOfTheTime() {
        // Binormal scores: a positive's score is μ + ε, a negative's ε, ε ~ N(0, 1), so the
        // ROC AUC is Φ(μ/√2). Champion 0.80, candidate 0.78 (exactly at the margin 0.02); the
        // two versions' noises correlate 0.5, as two models of the same rows do.
        let runs = 1000
        let perClass = 100
        let alpha = 0.05
        let champion = 2.0.squareRoot() * SpecialFunctions.normalQuantile(0.80)
        let candidate = 2.0.squareRoot() * SpecialFunctions.normalQuantile(0.78)
        var rng = SplitMix64(seed: 7_919)
        func gaussian() -> Double {
            let u = 1 - Self.uniform(&rng)
            let v = Self.uniform(&rng)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let labels = (0..<2 * perClass).map { $0 < perClass }
        var passes = 0
        for _ in 0..<runs {
            var a = [Double]()
            var b = [Double]()
            for positive in labels {
                let e1 = gaussian()
                let e2 = 0.5 * e1 + 0.75.squareRoot() * gaussian()
                a.append((positive ? candidate : 0) + e2)
                b.append((positive ? champion : 0) + e1)
            }
            guard let test = DeLongTest(labels: labels, candidate: a, champion: b) else { continue }
            if MarginTest(delong: test, margin: -0.02, alpha: alpha).verdict == .pass { passes += 1 }
        }
        let rate = Double(passes) / Double(runs)
        let se = (alpha * (1 - alpha) / Double(runs)).squareRoot()
        print("delong margin test at the boundary: \(passes)/\(runs) passed (rate \(rate), bound \(alpha + 2 * se))")
        #expect(rate <= alpha + 2 * se, "\(passes) of \(runs) runs passed")
    }
}
