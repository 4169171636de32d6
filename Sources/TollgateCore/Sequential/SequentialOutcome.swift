/// The three-way decision of one check at one look, plus the honest fourth: not enough evidence.
public enum SequentialOutcome: String, Sendable, Equatable, Codable {
    /// The whole confidence sequence lies on the good side of the margin.
    case pass
    /// The whole confidence sequence lies beyond the margin: a regression.
    case fail
    /// The sequence still straddles the margin and the horizon is not reached: look again later.
    case `continue`
    /// Too few events, an arm missing, no variation, or the horizon reached undecided.
    case inconclusive
}
