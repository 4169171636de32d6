import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Drift scores against Evidently 0.7.23 and scipy 1.17 (`fixtures/reference/metrics_test_vectors.json`).
@Suite struct DriftStatisticsTests {
    static func vector(_ name: String) throws -> [String: Any] {
        let root = try #require(try Fixtures.json("reference/metrics_test_vectors.json") as? [String: Any])
        return try #require((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == name })
    }

    static func values(_ any: Any?) -> DriftColumnValues {
        let list = any as? [Any] ?? []
        let numbers = list.compactMap(number)
        return numbers.count == list.count ? .numbers(numbers) : .categories(list.map { "\($0)" })
    }

    @Test(arguments: [
        ("evidently_psi_numerical", "psi"), ("evidently_wasserstein_numerical", "wasserstein_norm"),
        ("evidently_jensenshannon_numerical", "js_distance"), ("evidently_ks_numerical", "ks_pvalue"),
        ("evidently_psi_categorical_new_category", "psi"), ("evidently_jensenshannon_categorical_new_category", "js_distance"),
        ("evidently_chisquare_categorical_new_category", "chi2_pvalue"), ("evidently_z_binary", "z_pvalue")
    ])
    func scoresAgreeWithEvidently(_ name: String, _ score: String) throws {
        let v = try Self.vector(name)
        let inputs = try #require(v["inputs"] as? [String: Any])
        let expected = try #require(v["expected"] as? [String: Any])
        var reference = Self.values(inputs["reference"])
        var current = Self.values(inputs["current"])
        if inputs["column_type"] as? String == "cat" {
            reference = .categories(reference.text.map { $0.hasSuffix(".0") ? String($0.dropLast(2)) : $0 })
            current = .categories(current.text.map { $0.hasSuffix(".0") ? String($0.dropLast(2)) : $0 })
        }
        let drift = ColumnDrift.compute(column: "x", reference: reference, current: current)
        let reference_ = try #require(number(expected["drift_score"]))
        #expect(agrees(drift.scores[score], reference_), "\(name): \(drift.scores[score] ?? .nan) vs \(reference_)")
        #expect(drift.test.rawValue == expected["default_test"] as? String, "default test \(drift.test)")
        let test = try #require(
            DriftTest(
                rawValue: score == "js_distance"
                    ? "jensenshannon"
                    : score == "wasserstein_norm"
                        ? "wasserstein" : score == "ks_pvalue" ? "ks" : score == "chi2_pvalue" ? "chisquare" : score == "z_pvalue" ? "z" : score))
        #expect(test.drifted(reference_, threshold: number(expected["threshold"])) == expected["drifted"] as? Bool)
    }

    @Test func ksExactAgreesWithScipy() throws {
        let v = try Self.vector("ks_2samp_exact")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let expected = (v["expected"] as? [Any] ?? []).compactMap(number)
        let result = KolmogorovSmirnov.test((inputs["a"] as? [Any] ?? []).compactMap(number), (inputs["b"] as? [Any] ?? []).compactMap(number))
        #expect(agrees(result.statistic, expected[0]))
        #expect(agrees(result.pValue, expected[1]), "\(result.pValue)")
    }

    @Test func wassersteinAgreesWithScipy() throws {
        let v = try Self.vector("wasserstein_distance")
        let inputs = try #require(v["inputs"] as? [String: Any])
        let value = DistributionDistances.wasserstein((inputs["a"] as? [Any] ?? []).compactMap(number), (inputs["b"] as? [Any] ?? []).compactMap(number))
        #expect(agrees(value, try #require(number(v["expected"]))))
    }

    @Test func aConstantReferenceIsNormedByTheFloor() {
        // scipy: wasserstein_distance([1]*5, [1.2]*5) = 0.2; std 0 ⇒ divisor 0.001 ⇒ 200.
        #expect(agrees(DistributionDistances.wassersteinNormed(reference: [1, 1, 1, 1, 1], current: [1.2, 1.2, 1.2, 1.2, 1.2]), 200, tolerance: 1e-12))
    }

    @Test func sturgesBinCountFollowsNumpysFloatingPointSteps() {
        // N = 1024: log2(N) + 1 = 11 exactly, yet ptp / (ptp / 11) = 10.999999999999998 for
        // ptp = 1023 ⇒ numpy makes 11 bins.
        let edges = DriftBinning.sturgesEdges((0..<1024).map(Double.init))
        #expect(edges.count - 1 == 11) // len(np.histogram_bin_edges(np.arange(1024.0), bins="sturges")) - 1
        #expect(edges.last == 1023)
    }

    @Test func chiSquareSurvivalFunction() {
        // scipy.stats.chi2.sf(3.84145882069412, 1) = 0.05; chi2.sf(10, 4) = 0.04042768199451279.
        #expect(agrees(IncompleteGamma.upperRegularized(0.5, 3.84145882069412 / 2), 0.05, tolerance: 1e-12))
        #expect(agrees(IncompleteGamma.upperRegularized(2, 5), 0.04042768199451279))
    }
}

/// The one-sample Kolmogorov distribution, against `scipy.stats.kstwo.sf(x, n)`, one point or
/// more in each of scipy's regions (it is exact in some, approximate in others; Tollgate uses
/// the same method in the same region, so they agree to 1e-9 everywhere).
@Suite struct KolmogorovDistributionTests {
    @Test(arguments: [
        (0.05, 1000, 0.013012074781090332), (0.03, 1000, 0.3226902143914636), (0.1, 400, 0.00061917972480233),
        (0.02, 5000, 0.03613941395325637), (0.2, 100, 0.0005551927327988775), (0.04, 909, 0.10616075534188019),
        (0.3, 50, 0.00017353260202718738), // n ≤ 140, n·x² = 4.5: twice the one-sided Smirnov tail
        (0.015, 50, 1.0), // n·x = 0.75 ≤ 1: Ruben–Gambino closed form
        (0.1, 50, 0.6623112704658186), // n·x² = 0.5: exact (Durbin matrix)
        (0.25, 50, 0.0030657620198697444), // n·x² = 3.125: exact (Pomeranz)
        (0.4, 50, 9.86356336441006e-08), // n·x² = 8: twice Smirnov
        (0.07, 20, 0.9998196821043254), // n·x = 1.4: exact
        (0.96, 20, 2.199023255552039e-28), // n·x ≥ n − 1: 2(1 − x)ⁿ
        (0.6, 30, 7.392006292214292e-11), // x ≥ 0.5: twice Smirnov
        (0.12, 141, 0.03160060527758468), // n > 140, n·x² = 2.03: Pelz–Good
        (0.1246, 141, 0.022900405033739357), // n·x² = 2.189, just under scipy's 2.2 switch: Pelz–Good
        (0.08, 500, 0.0031305058199356268), // n·x² = 3.2 ≥ 2.2: twice Smirnov (Birnbaum–Tingey sum)
        (0.035, 1000, 0.1684847971373874), // Pelz–Good
        (0.0391, 296, 0.7407953475801234), // Pelz–Good (the exact value is 1.2e-7 away)
        (0.003, 200000, 0.0545369786611305), // n > 100,000: Pelz–Good
        (0.0012, 2_000_000, 0.006297183259583361), // n > 10⁶: Smirnov's exp(−(6nx+1)²/18n) form
        (0.0003, 5000, 1.0), (4e-05, 30000, 1.0)
    ])
    func survivalAgreesWithScipy(_ x: Double, _ n: Int, _ expected: Double) {
        let value = Kolmogorov.survival(x, n: n)
        #expect(agrees(value, expected), "kstwo.sf(\(x), \(n)): \(value) vs \(expected)")
        #expect(abs(value - expected) <= 1e-9 * expected || expected < 1e-6, "relative: \(value) vs \(expected)")
    }
}

/// Extra oracle values: inputs built from integers (`((i·mult + offset) % mod) / div`, the same
/// doubles in Swift and numpy), expected values printed by scipy 1.17.1 / numpy 2.4.6.
@Suite struct DriftOracleTests {
    struct Gen: CustomTestStringConvertible, Sendable {
        var n, mult, mod: Int, div: Double, offset: Int
        init(_ n: Int, _ mult: Int, _ mod: Int, _ div: Double, _ offset: Int = 0) {
            (self.n, self.mult, self.mod, self.div, self.offset) = (n, mult, mod, div, offset)
        }
        var values: [Double] { (0..<n).map { Double(($0 * mult + offset) % mod) / div } }
        var testDescription: String { "\(n) values of ((i·\(mult)+\(offset)) % \(mod))/\(div)" }
    }

    /// `scipy.stats.ks_2samp(a, b)` (method 'auto'): statistic, p-value.
    @Test(arguments: [
        (Gen(37, 7, 11, 4), Gen(53, 5, 13, 4, 3), 0.1509433962264151, 0.6321955367259311), // exact, ties, unequal n
        (Gen(800, 7919, 1000, 100), Gen(1500, 104729, 1100, 100), 0.09283333333333334, 0.0002294558002333495), // exact
        (Gen(400, 7919, 1000, 100), Gen(400, 104729, 1080, 100, 37), 0.08, 0.15461291961180293), // exact, n1 = n2
        (Gen(250, 7919, 1000, 100), Gen(1000, 104729, 1000, 100), 0.009, 1.0),
        // Over 10,000 rows: asymptotic, kstwo.sf(D, round(n1·n2/(n1+n2))) with n = 293 (294 gives 0.010634…).
        (Gen(300, 7919, 1000, 100), Gen(12000, 104729, 1100, 100), 0.09375, 0.010823089703934759),
        // n1·n2/(n1+n2) = 5000.5, which numpy rounds half-to-even to 5000 (5001 gives 0.044046…).
        (Gen(10001, 7919, 1000, 100), Gen(10001, 104729, 1020, 100, 11), 0.01949805019498052, 0.044079727379175426)
    ])
    func ksAgreesWithScipy(_ a: Gen, _ b: Gen, _ statistic: Double, _ pValue: Double) {
        let result = KolmogorovSmirnov.test(a.values, b.values)
        #expect(agrees(result.statistic, statistic), "D \(result.statistic) vs \(statistic)")
        #expect(agrees(result.pValue, pValue), "p \(result.pValue) vs \(pValue)")
    }

    @Test func wassersteinAndNormedScore() {
        // scipy.stats.wasserstein_distance(a, b); divided by max(np.std(a), 0.001).
        let a = Gen(97, 7919, 1000, 100).values
        let b = Gen(131, 104729, 1200, 100, 5).values
        #expect(agrees(DistributionDistances.wasserstein(a, b), 0.9357472259384592))
        #expect(agrees(DistributionDistances.wassersteinNormed(reference: a, current: b), 0.3264996142044856))
    }

    /// N = 1024 and ptp = 1.44: log2(N) + 1 = 11 exactly, but ptp / (ptp / 11) = 11.000000000000002,
    /// so numpy makes 12 bins, not 11 (`np.histogram_bin_edges(concat, bins="sturges")`).
    @Test func sturgesCanAddABinAndScoresFollow() {
        let reference = Gen(512, 7919, 145, 100).values
        let current = Gen(512, 104729, 131, 100, 7).values
        let edges = DriftBinning.sturgesEdges(reference + current)
        #expect(edges.count - 1 == 12)
        #expect(edges == [0.0, 0.12, 0.24, 0.36, 0.48, 0.6, 0.72, 0.84, 0.96, 1.08, 1.2, 1.3199999999999998, 1.44])
        let drift = ColumnDrift.compute(column: "x", reference: .numbers(reference), current: .numbers(current))
        #expect(drift.test == .ks)
        // Evidently's PSI (feel_zeroes) and scipy.spatial.distance.jensenshannon over those bins.
        #expect(agrees(drift.scores["psi"], 0.6196370556563484))
        #expect(agrees(drift.scores["js_distance"], 0.17972738881966802))
        #expect(agrees(drift.scores["ks_pvalue"], 0.018335909224414977))
        #expect(drift.drifted)
    }

    @Test func fewDistinctNumbersGetOneBinEach() {
        // 15 distinct reference values (≤ 20): one bin per value of the union (18 values).
        let drift = ColumnDrift.compute(column: "x", reference: .numbers(Gen(300, 7, 15, 2).values), current: .numbers(Gen(250, 11, 18, 2, 1).values))
        #expect(drift.test == .ks)
        #expect(agrees(drift.scores["psi"], 1.0617179201583558))
        #expect(agrees(drift.scores["js_distance"], 0.24605465587328335))
        #expect(agrees(drift.scores["ks_pvalue"], 0.001139460082146887))
    }

    @Test func numbersWithFourValuesUseChiSquare() {
        // scipy.stats.chisquare([38, 38, 37, 37], [50·0.75] * 4).pvalue
        let drift = ColumnDrift.compute(column: "x", reference: .numbers(Gen(200, 7, 4, 1).values), current: .numbers(Gen(150, 3, 4, 1, 1).values))
        #expect(drift.test == .chisquare)
        #expect(agrees(drift.score, 0.998851052465614))
        #expect(!drift.drifted)
    }

    @Test func categoriesChiSquarePSIAndJensenShannon() {
        func expand(_ counts: KeyValuePairs<String, Int>) -> [String] { counts.flatMap { Array(repeating: $0.key, count: $0.value) } }
        let reference = expand(["a": 120, "b": 45, "c": 30, "d": 5])
        let current = expand(["a": 90, "b": 60, "c": 20, "d": 10])
        let drift = ColumnDrift.compute(column: "x", reference: .categories(reference), current: .categories(current))
        #expect(drift.test == .chisquare)
        #expect(agrees(drift.scores["chi2_pvalue"], 0.00010907173825550957)) // chisquare(f_obs, ref·(180/200))
        #expect(agrees(drift.scores["psi"], 0.09688134981543683))
        #expect(agrees(drift.scores["js_distance"], 0.10949448522381655))
        #expect(drift.drifted)
    }

    /// 2·(1 − norm.cdf(|z|)) for the pooled two-proportion z ("no" sorts first and is coded 0).
    @Test(arguments: [(30, 70, 45, 55, 0.02845973691631065), (400, 600, 95, 205, 0.009132417050469632), (5, 95, 0, 50, 0.1077982138774094)])
    func zTestAgreesWithTheFormula(_ refYes: Int, _ refNo: Int, _ curYes: Int, _ curNo: Int, _ expected: Double) {
        let reference = Array(repeating: "no", count: refNo) + Array(repeating: "yes", count: refYes)
        let current = Array(repeating: "yes", count: curYes) + Array(repeating: "no", count: curNo)
        #expect(agrees(CategoricalTests.zTestPValue(reference: reference, current: current), expected))
        #expect(ColumnDrift.compute(column: "x", reference: .categories(reference), current: .categories(current)).test == .z)
    }

    /// scipy.special.gammaincc(a, x): the chi-square survival function is Q(k/2, x/2).
    @Test(arguments: [
        (0.5, 0.005, 0.920344325445942), (3.5, 3.325, 0.46620781065396144), (10.0, 12.0, 0.24239216167051245),
        (49.5, 47.025, 0.6218033741345909), (100.0, 130.0, 0.002750408367306518), (499.5, 524.475, 0.1325903957876584)
    ])
    func upperIncompleteGamma(_ a: Double, _ x: Double, _ expected: Double) {
        let value = IncompleteGamma.upperRegularized(a, x)
        #expect(abs(value - expected) <= 1e-12 * expected, "Q(\(a), \(x)) = \(value) vs \(expected)")
    }
}

/// Evidently's rules around the numbers: which test, which side of the threshold, dataset drift.
@Suite struct DriftRuleTests {
    @Test func defaultTestBoundaries() {
        #expect(DriftTest.default(numerical: true, referenceCount: 1000, uniqueCount: 6) == .ks)
        #expect(DriftTest.default(numerical: true, referenceCount: 1001, uniqueCount: 6) == .wasserstein)
        #expect(DriftTest.default(numerical: true, referenceCount: 1000, uniqueCount: 5) == .chisquare)
        #expect(DriftTest.default(numerical: true, referenceCount: 1000, uniqueCount: 2) == .z)
        #expect(DriftTest.default(numerical: true, referenceCount: 1001, uniqueCount: 5) == .jensenshannon)
        #expect(DriftTest.default(numerical: false, referenceCount: 1000, uniqueCount: 3) == .chisquare)
        #expect(DriftTest.default(numerical: false, referenceCount: 1000, uniqueCount: 2) == .z)
        #expect(DriftTest.default(numerical: false, referenceCount: 1001, uniqueCount: 50) == .jensenshannon)
    }

    @Test func thresholdsAndTheirSides() {
        #expect(DriftTest.allCases.map(\.defaultThreshold) == [0.05, 0.05, 0.05, 0.1, 0.1, 0.1])
        #expect(DriftTest.ks.drifted(0.05)) // KS: p ≤ threshold
        #expect(!DriftTest.chisquare.drifted(0.05) && !DriftTest.z.drifted(0.05)) // strict
        #expect(DriftTest.chisquare.drifted(0.049) && DriftTest.z.drifted(0.049))
        #expect(DriftTest.psi.drifted(0.1) && DriftTest.jensenshannon.drifted(0.1) && DriftTest.wasserstein.drifted(0.1))
        #expect(!DriftTest.psi.drifted(0.099))
        #expect(DriftTest.ks.drifted(0.2, threshold: 0.2) && !DriftTest.psi.drifted(0.2, threshold: 0.25))
    }

    @Test func aCategoryTheReferenceNeverSawMeansDrift() {
        // Expected count 0 ⇒ statistic inf ⇒ chi2.sf = 0.
        #expect(CategoricalTests.chiSquarePValue(reference: ["a": 10, "b": 10], current: ["a": 10, "b": 9, "c": 1]) == 0)
    }

    @Test func constantEqualSamplesHaveNoZDrift() {
        #expect(CategoricalTests.zTestPValue(reference: ["a", "a"], current: ["a", "a", "a"]) == 1)
    }

    @Test func datasetDriftShareIsInclusive() {
        #expect(DatasetDrift.driftedShare([true, false]) == 0.5)
        #expect(DatasetDrift.drifted([true, false]))
        #expect(!DatasetDrift.drifted([true, false, false]))
        #expect(DatasetDrift.driftedShare([]).isNaN && !DatasetDrift.drifted([]))
    }

    @Test func emptySamplesGiveNaNNotACrash() {
        #expect(KolmogorovSmirnov.test([], [1, 2]).pValue.isNaN)
        #expect(DistributionDistances.wasserstein([1], []).isNaN)
        #expect(CategoricalTests.zTestPValue(reference: [], current: ["a"]).isNaN)
        #expect(CategoricalTests.chiSquarePValue(reference: ["a": 3], current: [:]).isNaN)
        #expect(DriftBinning.sturgesEdges([]).isEmpty)
    }
}
