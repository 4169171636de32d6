import Foundation

/// The canary-minus-baseline difference and its plug-in variance at one look.
///
/// Why a separate value: the test needs only θ̂ and V̂, whatever produced them, so the unpaired
/// (canary mode) and paired (shadow mode, one arm of per-request differences) wirings share
/// one sequential test.
public struct DifferenceEstimate: Sendable, Equatable {
    public var estimate: Double
    public var variance: Double
    /// Observations behind each side (equal when paired).
    public var baselineCount: Int
    public var canaryCount: Int

    public init(estimate: Double, variance: Double, baselineCount: Int, canaryCount: Int) {
        self.estimate = estimate
        self.variance = variance
        self.baselineCount = baselineCount
        self.canaryCount = canaryCount
    }

    /// Unpaired arms: θ̂ = m_c − m_b, V̂ = s_c²/n_c + s_b²/n_b. Nil when an arm is empty.
    public static func unpaired(baseline: ArmStatistics, canary: ArmStatistics, measure: SequentialMeasure) -> DifferenceEstimate? {
        guard baseline.count > 0, canary.count > 0 else { return nil }
        func perObservation(_ arm: ArmStatistics) -> Double {
            measure == .proportion ? arm.proportionVariance : arm.sampleVariance
        }
        let variance = perObservation(canary) / Double(canary.count) + perObservation(baseline) / Double(baseline.count)
        return DifferenceEstimate(
            estimate: canary.mean - baseline.mean, variance: variance,
            baselineCount: baseline.count, canaryCount: canary.count)
    }

    /// Paired differences d_i = canary_i − baseline_i (shadow mode): θ̂ = d̄, V̂ = s_d²/n.
    ///
    /// For 0/1 values and their differences (`.proportion`), the per-pair variance is floored
    /// at f(1 − f) with f = 0.5/n, half a discordant pair, for the same reason as unpaired
    /// proportions: a shadow with no disagreement yet must not get a zero-width interval.
    public static func paired(differences: ArmStatistics, measure: SequentialMeasure = .mean) -> DifferenceEstimate? {
        guard differences.count > 0 else { return nil }
        let n = Double(differences.count)
        var perPair = differences.sampleVariance
        if measure == .proportion {
            let floor = 0.5 / n
            perPair = max(perPair, floor * (1 - floor))
        }
        return DifferenceEstimate(
            estimate: differences.mean, variance: perPair / n,
            baselineCount: differences.count, canaryCount: differences.count)
    }

    /// One arm against a fixed value (a quantile check's canary exceedance share against
    /// 1 − q): θ̂ = m, V̂ = v/n with the same variances as unpaired arms.
    /// `referenceCount` is reported as the baseline's count (the events behind the fixed value).
    public static func oneSample(_ arm: ArmStatistics, measure: SequentialMeasure, referenceCount: Int) -> DifferenceEstimate? {
        guard arm.count > 0, referenceCount > 0 else { return nil }
        let perObservation = measure == .proportion ? arm.proportionVariance : arm.sampleVariance
        return DifferenceEstimate(
            estimate: arm.mean, variance: perObservation / Double(arm.count),
            baselineCount: referenceCount, canaryCount: arm.count)
    }
}
