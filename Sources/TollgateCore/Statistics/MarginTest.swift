import Foundation

/// The evidence behind `@ delong` and `@ mcnemar`: (candidate − champion) against a margin,
/// tested in both directions at α.
///
/// Why both directions: "no significant difference" is not evidence of "not worse". A check
/// `metric >= champion + k @ test α` passes only when the one-sided test of its claim
/// (difference > k) rejects at α, fails only when the one-sided test of the opposite claim
/// (difference < k) rejects at α, and is inconclusive otherwise: the rule `@ 95%` applies to
/// its interval. Equivalently, with the (1 − 2α) two-sided interval, whose ends are the two
/// one-sided (1 − α) bounds: pass when the lower bound is above k, fail when the upper bound is
/// below it. `>` and `>=` ask the same question (the boundary has no weight).
public struct MarginTest: Sendable, Equatable, Codable {
    /// `delong` or `mcnemar`, as written in the check.
    public var test: String
    /// How the figures were made, for a reader who wants to redo them.
    public var method: String
    public var alpha: Double
    /// candidate − champion: the AUC difference, or the accuracy difference (b − c)/n.
    public var difference: Double
    /// k: the check claims difference > k (`champion - 0.01` gives k = −0.01).
    public var margin: Double
    /// One-sided (1 − α) lower bound of the difference; with `upperBound`, a (1 − 2α) interval.
    public var lowerBound: Double
    public var upperBound: Double
    /// The test statistic at the margin.
    public var z: Double
    /// One-sided p-value of the claim (small: the data show difference > k).
    public var pValue: Double
    /// One-sided p-value of the opposite claim (small: the data show difference < k).
    public var pValueWorse: Double

    /// DeLong: z = (ΔAUC − k) / √(var₁ + var₂ − 2cov), normal tails.
    public init(delong t: DeLongTest, margin k: Double, alpha: Double) {
        let difference = t.aucCandidate - t.aucChampion
        let variance = t.covariance[0][0] + t.covariance[1][1] - 2 * t.covariance[0][1]
        let se = max(0, variance).squareRoot()
        // A zero variance is not certainty: it comes from too few rows (two per class suffice
        // for DeLong to run) or from both versions separating the classes perfectly, and an
        // infinite z would pass or fail on four rows. No spread, no evidence: inconclusive.
        let z = se > 0 ? (difference - k) / se : .nan
        let half = SpecialFunctions.normalQuantile(1 - alpha) * se
        self.init(
            test: "delong", method: "DeLong's variance of the AUC difference (Sun & Xu), one-sided normal tests", alpha: alpha,
            difference: difference, margin: k, lowerBound: difference - half, upperBound: difference + half, z: z)
    }

    /// Tango's score for paired proportions, on McNemar's discordant counts.
    public init(mcnemar t: McNemarTest, rows n: Int, margin k: Double, alpha: Double) {
        let b = t.candidateOnly
        let c = t.championOnly
        let z = TangoScore.z(candidateOnly: b, championOnly: c, rows: n, delta: k)
        let bounds = TangoScore.interval(candidateOnly: b, championOnly: c, rows: n, z: SpecialFunctions.normalQuantile(1 - alpha))
        self.init(
            test: "mcnemar",
            method: "Tango's score test for paired proportions (b = \(b) rows only the candidate gets right, c = \(c) only the champion, n = \(n))",
            alpha: alpha, difference: n > 0 ? Double(b - c) / Double(n) : .nan, margin: k, lowerBound: bounds.lower,
            upperBound: bounds.upper, z: z)
    }

    init(
        test: String, method: String, alpha: Double, difference: Double, margin: Double, lowerBound: Double, upperBound: Double,
        z: Double
    ) {
        self.test = test
        self.method = method
        self.alpha = alpha
        self.difference = difference
        self.margin = margin
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.z = z
        pValue = z.isNaN ? .nan : SpecialFunctions.normalCDF(-z)
        pValueWorse = z.isNaN ? .nan : SpecialFunctions.normalCDF(z)
    }

    /// pass, fail or inconclusive; NaN (no evidence at all) is inconclusive.
    public var verdict: Outcome {
        if pValue < alpha { return .pass }
        if pValueWorse < alpha { return .fail }
        return .inconclusive
    }

    /// One line for a table cell: `Δ -0.0833 [-0.1539, -0.0127], margin 0, p 0.9873`.
    public var summary: String {
        let f = Formatting.decimal
        return "Δ \(f(difference)) [\(f(lowerBound)), \(f(upperBound))], margin \(f(margin)), p \(f(pValue))"
    }

    /// The figures a reviewer needs to agree with the verdict, in words.
    func figures(metric: String) -> String {
        let f = Formatting.decimal
        let level = f((1 - alpha) * 100)
        return
            "\(metric) candidate − champion = \(f(difference)), one-sided \(level)% bounds [\(f(lowerBound)), \(f(upperBound))] against the margin \(f(margin)); z = \(f(z)), p = \(f(pValue)) (α = \(f(alpha)); \(method))"
    }

    enum CodingKeys: String, CodingKey {
        case test, method, alpha, difference, margin, z
        case lowerBound = "lower_bound"
        case upperBound = "upper_bound"
        case pValue = "p_value"
        case pValueWorse = "p_value_worse"
    }

    /// Infinite z (a difference with no variance) and NaN are written as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(test, forKey: .test)
        try c.encode(method, forKey: .method)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(JSONNumber.finite(difference), forKey: .difference)
        try c.encode(margin, forKey: .margin)
        try c.encode(JSONNumber.finite(lowerBound), forKey: .lowerBound)
        try c.encode(JSONNumber.finite(upperBound), forKey: .upperBound)
        try c.encode(JSONNumber.finite(z), forKey: .z)
        try c.encode(JSONNumber.finite(pValue), forKey: .pValue)
        try c.encode(JSONNumber.finite(pValueWorse), forKey: .pValueWorse)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        test = try c.decode(String.self, forKey: .test)
        method = try c.decode(String.self, forKey: .method)
        alpha = try c.decode(Double.self, forKey: .alpha)
        difference = try c.decodeIfPresent(Double.self, forKey: .difference) ?? .nan
        margin = try c.decode(Double.self, forKey: .margin)
        lowerBound = try c.decodeIfPresent(Double.self, forKey: .lowerBound) ?? .nan
        upperBound = try c.decodeIfPresent(Double.self, forKey: .upperBound) ?? .nan
        z = try c.decodeIfPresent(Double.self, forKey: .z) ?? .nan
        pValue = try c.decodeIfPresent(Double.self, forKey: .pValue) ?? .nan
        pValueWorse = try c.decodeIfPresent(Double.self, forKey: .pValueWorse) ?? .nan
    }
}
