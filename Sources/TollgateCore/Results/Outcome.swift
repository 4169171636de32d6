/// The outcome of one check on one candidate.
public enum Outcome: String, Sendable, Equatable, Codable {
    case pass
    /// Failed, but the check's severity is `warn`: shown, never blocking.
    case warn
    case fail
    /// Not enough evidence to say (an undefined metric, a champion value that is NaN).
    case inconclusive
    case error
}
