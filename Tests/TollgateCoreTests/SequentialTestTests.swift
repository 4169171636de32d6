import Foundation
import Testing

@testable import TollgateCore

/// The pieces of the sequential canary test, as rules a reviewer can check.
@Suite struct SequentialTestTests {
    @Test func welfordMatchesTheTwoPassFormulasAndMergesLikeOneStream() {
        let values = (0..<1000).map { 20 + sin(Double($0)) * 3 + Double($0 % 7) }
        let whole = ArmStatistics(values)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        #expect(abs(whole.mean - mean) < 1e-12)
        #expect(abs(whole.sampleVariance - variance) < 1e-9)
        var merged = ArmStatistics(values[..<333])
        merged.merge(ArmStatistics(values[333...]))
        #expect(merged.count == whole.count)
        #expect(abs(merged.mean - whole.mean) < 1e-12)
        #expect(abs(merged.m2 - whole.m2) < 1e-8)
    }

    @Test func anArmWithoutErrorsStillHasAVariance() {
        let clean = ArmStatistics(Array(repeating: 0.0, count: 1000))
        #expect(abs(clean.proportionVariance - 0.0005 * 0.9995) < 1e-15)
        let allBad = ArmStatistics(Array(repeating: 1.0, count: 1000))
        #expect(abs(allBad.proportionVariance - 0.0005 * 0.9995) < 1e-15)
    }

    @Test func bonferroniSplitsAlphaAcrossBlockingChecks() {
        #expect(SequentialTest.bonferroni(alpha: 0.05, blockingChecks: 4) == 0.0125)
        #expect(SequentialTest.bonferroni(alpha: 0.05, blockingChecks: 0) == 0.05)
    }

    @Test func theMixtureCrossesOneOverAlphaExactlyAtTheBoundary() {
        let rho = NormalMixture.bestRho(vOpt: 5000, alpha: 0.05)
        let bound = NormalMixture.bound(v: 1234, alpha: 0.05, rho: rho)
        #expect(abs(NormalMixture.logMixture(s: bound, v: 1234, rho: rho) - log(20)) < 1e-9)
    }

    @Test func aMissingArmOrTooFewEventsContinuesBeforeTheHorizonAndIsNeverAPass() {
        let test = SequentialTest(alpha: 0.05, margin: 0.01, badDirection: .increase, minSamples: 500, maxSamples: 10000)
        var state = SequentialState()
        let noBaseline = DifferenceEstimate.unpaired(baseline: ArmStatistics(), canary: ArmStatistics([0, 0, 1]), measure: .proportion)
        let missing = test.look(noBaseline, state: &state)
        #expect(missing.outcome == .continue)
        #expect(missing.reason.contains("no events for an arm yet"))
        #expect(test.look(noBaseline, state: &state, horizonReached: true).outcome == .inconclusive)
        let fewBaseline = DifferenceEstimate.unpaired(
            baseline: ArmStatistics(Array(repeating: 0, count: 499)),
            canary: ArmStatistics(Array(repeating: 0, count: 5000)), measure: .proportion)
        let few = test.look(fewBaseline, state: &state)
        #expect(few.outcome == .continue)
        #expect(few.reason.contains("waiting for min_samples"))
        #expect(test.look(fewBaseline, state: &state, horizonReached: true).outcome == .inconclusive)
        let canaryAtHorizon = DifferenceEstimate.unpaired(
            baseline: ArmStatistics(Array(repeating: 0, count: 499)),
            canary: ArmStatistics(Array(repeating: 0, count: 10000)), measure: .proportion)
        #expect(test.look(canaryAtHorizon, state: &state).outcome == .inconclusive, "max_samples reached in one arm is the horizon")
        #expect(state == SequentialState())
    }

    @Test func anEmptyIntersectionIsInconclusiveNotAFail() throws {
        let test = SequentialTest(alpha: 0.05, margin: 0, badDirection: .increase, minSamples: 100, maxSamples: 100_000)
        var state = SequentialState()
        let before = test.look(DifferenceEstimate(estimate: -1, variance: 0.001, baselineCount: 1000, canaryCount: 1000), state: &state)
        #expect(before.outcome == .pass)
        let after = test.look(DifferenceEstimate(estimate: 1, variance: 0.001, baselineCount: 2000, canaryCount: 2000), state: &state)
        #expect((state.lower ?? 0) > (state.upper ?? 0))
        #expect(after.outcome == .inconclusive)
        #expect(after.reason.contains("the confidence sequence is empty (the data are not stationary)"))
    }

    @Test func identicalValuesGiveNoIntervalAndContinueUntilTheHorizon() {
        let test = SequentialTest(alpha: 0.05, margin: 0.05, badDirection: .increase, minSamples: 10, maxSamples: 10000)
        var state = SequentialState()
        let flat = ArmStatistics(Array(repeating: 3.0, count: 100))
        let difference = DifferenceEstimate.unpaired(baseline: flat, canary: flat, measure: .mean)
        #expect(test.look(difference, state: &state).outcome == .continue)
        #expect(test.look(difference, state: &state, horizonReached: true).outcome == .inconclusive)
    }

    @Test func undecidedAtTheHorizonIsInconclusive() {
        let test = SequentialTest(alpha: 0.05, margin: 0.0, badDirection: .increase, minSamples: 10, maxSamples: 100_000)
        var state = SequentialState()
        let arm = ArmStatistics(count: 1000, mean: 0.02, m2: 0)
        let difference = DifferenceEstimate.unpaired(baseline: arm, canary: arm, measure: .proportion)
        #expect(test.look(difference, state: &state).outcome == .continue)
        #expect(test.look(difference, state: &state, horizonReached: true).outcome == .inconclusive)
    }

    @Test func theIntervalOnlyNarrowsAndThePValueOnlyFalls() throws {
        let test = SequentialTest(alpha: 0.05, margin: 0.0, badDirection: .increase, minSamples: 10, maxSamples: 10000)
        var state = SequentialState()
        var previous = (lower: -Double.infinity, upper: Double.infinity, p: 1.0)
        for (n, rate) in [(100, 0.05), (200, 0.01), (400, 0.04), (800, 0.02)] {
            let canary = ArmStatistics(count: n, mean: rate, m2: 0)
            let baseline = ArmStatistics(count: n, mean: 0.03, m2: 0)
            let look = test.look(DifferenceEstimate.unpaired(baseline: baseline, canary: canary, measure: .proportion), state: &state)
            let (lower, upper) = (try #require(look.lower), try #require(look.upper))
            #expect(lower >= previous.lower && upper <= previous.upper && look.pValue <= previous.p)
            previous = (lower, upper, look.pValue)
        }
    }

    @Test func theStateSurvivesJSON() throws {
        let state = SequentialState(rho: 12.5, lower: -0.01, upper: 0.02, pValue: 0.3, looks: 4)
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(SequentialState.self, from: data) == state)
        #expect(String(decoding: data, as: UTF8.self).contains("\"p_value\""))
        let fresh = try JSONEncoder().encode(SequentialState())
        #expect(try JSONDecoder().decode(SequentialState.self, from: fresh) == SequentialState())
    }
}
