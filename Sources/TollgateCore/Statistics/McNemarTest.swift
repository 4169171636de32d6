/// McNemar's exact test on the rows where exactly one of two versions is right.
///
/// statsmodels' default (`exact=True`): statistic min(b, c), p = min(1, 2·P(X ≤ min(b, c)))
/// for X ~ Binomial(b + c, 1/2); with no discordant rows p = 1.
public struct McNemarTest: Sendable, Equatable, Codable {
    /// Rows the candidate gets right and the champion wrong.
    public var candidateOnly: Int
    /// Rows the champion gets right and the candidate wrong.
    public var championOnly: Int
    public var statistic: Double
    public var pValue: Double
    /// Rows both versions were evaluated on: the n of the accuracy difference (b − c)/n that
    /// `@ mcnemar` tests against a margin. Nil in runs recorded before it was kept.
    public var rows: Int?

    public init(candidateOnly b: Int, championOnly c: Int, rows: Int? = nil) {
        candidateOnly = b
        championOnly = c
        self.rows = rows
        statistic = Double(min(b, c))
        pValue = b + c == 0 ? 1 : min(1, 2 * SpecialFunctions.binomialHalfCDF(min(b, c), b + c))
    }

    enum CodingKeys: String, CodingKey {
        case statistic, rows
        case candidateOnly = "candidate_only_correct"
        case championOnly = "champion_only_correct"
        case pValue = "p_value"
    }
}
