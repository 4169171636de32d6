import Foundation

/// The two-sided normal-mixture boundary of Howard et al. (confseq's `TwoSidedNormalMixture`),
/// used in information time.
///
/// Why this one: its mixture martingale is Johari's mSPRT, so the crossing probability of
/// `|S|` over *all* looks is at most α (Ville's inequality); a canary can be looked at every
/// minute without inflating false alarms. `rho` tunes where the boundary is tightest and must
/// be fixed before the data it judges (see ``SequentialTest`` for how Tollgate fixes it).
public enum NormalMixture {
    /// confseq's `best_rho`: the ρ that minimises the boundary at intrinsic time `vOpt`.
    public static func bestRho(vOpt: Double, alpha: Double) -> Double {
        let l = 2 * log(1 / alpha)
        return vOpt / (l + log(1 + l))
    }

    /// log M(s, v) = ½·log(ρ/(v+ρ)) + s²/(2(v+ρ)); its reciprocal's exponential is an
    /// always-valid p-value.
    public static func logMixture(s: Double, v: Double, rho: Double) -> Double {
        0.5 * log(rho / (v + rho)) + s * s / (2 * (v + rho))
    }

    /// The boundary for |S|: sqrt((v+ρ)·(log(1 + v/ρ) + 2·log(1/α))).
    public static func bound(v: Double, alpha: Double, rho: Double) -> Double {
        ((v + rho) * (log(1 + v / rho) + 2 * log(1 / alpha))).squareRoot()
    }
}
