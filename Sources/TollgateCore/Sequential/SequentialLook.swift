/// The result of one check at one look: the numbers behind the outcome, and why.
public struct SequentialLook: Sendable, Equatable {
    public var outcome: SequentialOutcome
    public var reason: String
    /// θ̂ = canary − baseline, when both arms have events.
    public var estimate: Double?
    public var baselineCount: Int
    public var canaryCount: Int
    /// The intersected confidence sequence (nil bounds: not yet evaluable).
    public var lower: Double?
    public var upper: Double?
    /// The running-minimum always-valid p-value against the margin.
    public var pValue: Double
    /// Information I = 1/V̂ and the mixture statistic of this look, when evaluated.
    public var information: Double?
    public var logMixture: Double?
}
