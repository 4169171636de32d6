import Foundation

/// An anytime-valid test of one canary check: the normal-mixture confidence sequence for the
/// canary-minus-baseline difference (rollout.md B.2, information-time form), against a margin.
///
/// Why: a canary is looked at many times at unplanned moments; a fixed-horizon test repeated
/// at each look fails healthy canaries far more often than its α. The confidence sequence
/// covers the true difference at every look at once (with the plug-in variance,
/// asymptotically; hence the burn-in `minSamples`), so fail/pass can be declared whenever the
/// sequence leaves or settles inside the margin.
///
/// ρ is fixed at the first look past burn-in from the information expected at the horizon,
/// I_plan = I · maxSamples / min(n_b, n_c), and kept in the state; later looks reuse it.
public struct SequentialTest: Sendable, Equatable, Codable {
    /// Which way of the margin is a regression.
    public enum BadDirection: String, Sendable, Equatable, Codable {
        /// The check reads `canary <= baseline + margin` (error rate, latency).
        case increase
        /// The check reads `canary >= baseline + margin` (accuracy, conversion).
        case decrease
    }

    /// The α of this check (already split across checks, see ``bonferroni(alpha:blockingChecks:)``).
    public var alpha: Double
    /// The tolerated difference, on the scale of the estimate (log scale for ratio margins).
    public var margin: Double
    public var badDirection: BadDirection
    /// Burn-in: events per arm before the test says anything.
    public var minSamples: Int
    /// The horizon in events per arm.
    public var maxSamples: Int

    public init(alpha: Double, margin: Double, badDirection: BadDirection, minSamples: Int, maxSamples: Int) {
        self.alpha = alpha
        self.margin = margin
        self.badDirection = badDirection
        self.minSamples = minSamples
        self.maxSamples = maxSamples
    }

    /// α for each of `blockingChecks` checks so that the chance of any false fail stays ≤ α.
    public static func bonferroni(alpha: Double, blockingChecks: Int) -> Double { alpha / Double(max(1, blockingChecks)) }

    /// Judges one look and advances `state`; `horizonReached` lets the caller add a time horizon.
    public func look(_ difference: DifferenceEstimate?, state: inout SequentialState, horizonReached: Bool = false) -> SequentialLook {
        var result = SequentialLook(
            outcome: .inconclusive, reason: "", estimate: difference?.estimate,
            baselineCount: difference?.baselineCount ?? 0, canaryCount: difference?.canaryCount ?? 0,
            lower: state.lower, upper: state.upper, pValue: state.pValue)
        // Before the horizon, too little evidence means "look again"; only at the horizon is it
        // inconclusive. Never a pass.
        func waitOrGiveUp(_ reason: String, atHorizon: Bool) -> SequentialLook {
            result.outcome = atHorizon ? .inconclusive : .continue
            result.reason = atHorizon ? "horizon reached: \(reason)" : reason
            return result
        }
        guard let difference else {
            return waitOrGiveUp("no events for an arm yet: nothing to compare", atHorizon: horizonReached)
        }
        let smaller = min(difference.baselineCount, difference.canaryCount)
        let larger = max(difference.baselineCount, difference.canaryCount)
        guard smaller >= minSamples else {
            return waitOrGiveUp(
                "waiting for min_samples \(minSamples): \(smaller) events in the smaller arm",
                atHorizon: horizonReached || larger >= maxSamples)
        }
        guard difference.variance > 0, difference.variance.isFinite, difference.estimate.isFinite else {
            return waitOrGiveUp(
                "no variation in the values: the difference's variance is zero, so no interval",
                atHorizon: horizonReached || smaller >= maxSamples)
        }
        let information = 1 / difference.variance
        let rho = state.rho ?? NormalMixture.bestRho(vOpt: information * Double(maxSamples) / Double(smaller), alpha: alpha)
        let s = (difference.estimate - margin) * information
        let logM = NormalMixture.logMixture(s: s, v: information, rho: rho)
        let halfWidth = NormalMixture.bound(v: information, alpha: alpha, rho: rho) / information
        let lower = max(state.lower ?? -.infinity, difference.estimate - halfWidth)
        let upper = min(state.upper ?? .infinity, difference.estimate + halfWidth)
        state = SequentialState(rho: rho, lower: lower, upper: upper, pValue: min(state.pValue, 1, exp(-logM)), looks: state.looks + 1)
        result.lower = lower
        result.upper = upper
        result.pValue = state.pValue
        result.information = information
        result.logMixture = logM

        guard lower <= upper else {
            result.outcome = .inconclusive
            result.reason = "the confidence sequence is empty (the data are not stationary): the running intersection is [\(lower), \(upper)]"
            return result
        }
        let (beyond, inside) = badDirection == .increase ? (lower > margin, upper < margin) : (upper < margin, lower > margin)
        if beyond {
            result.outcome = .fail
            result.reason = "the whole confidence sequence [\(lower), \(upper)] lies beyond the margin \(margin)"
        } else if inside {
            result.outcome = .pass
            result.reason = "the whole confidence sequence [\(lower), \(upper)] lies inside the margin \(margin)"
        } else if horizonReached || smaller >= maxSamples {
            result.outcome = .inconclusive
            result.reason = "horizon reached with the confidence sequence [\(lower), \(upper)] still straddling the margin \(margin)"
        } else {
            result.outcome = .continue
            result.reason = "the confidence sequence [\(lower), \(upper)] straddles the margin \(margin)"
        }
        return result
    }
}
