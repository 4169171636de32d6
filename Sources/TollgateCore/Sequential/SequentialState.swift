/// What one check's sequential test carries from one look to the next.
///
/// Why it is small and explicit: each look may be a new process (`--state FILE`), and the
/// test stays valid across looks only if the mixture's ρ stays fixed, the confidence sequence
/// keeps its running intersection and the p-value its running minimum. Nil bounds mean
/// "unbounded so far" (JSON has no infinity).
public struct SequentialState: Sendable, Equatable, Codable {
    /// The mixture parameter, fixed at the first look past burn-in.
    public var rho: Double?
    /// The intersected confidence sequence so far.
    public var lower: Double?
    public var upper: Double?
    /// The running minimum of the always-valid p-value (against the margin).
    public var pValue: Double
    /// Looks that updated the test (past burn-in).
    public var looks: Int

    public init(rho: Double? = nil, lower: Double? = nil, upper: Double? = nil, pValue: Double = 1, looks: Int = 0) {
        self.rho = rho
        self.lower = lower
        self.upper = upper
        self.pValue = pValue
        self.looks = looks
    }

    enum CodingKeys: String, CodingKey {
        case rho, lower, upper, looks
        case pValue = "p_value"
    }
}
