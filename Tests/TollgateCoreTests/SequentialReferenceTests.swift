import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The anytime-valid canary test agrees with the NumPy reference
/// (`fixtures/canary/make_sequential_reference.py`) to 1e-9 at every look of fixed streams.
@Suite struct SequentialReferenceTests {
    struct Reference: Decodable { let cases: [Case] }
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let measure: String
        let paired: Bool
        let one_sample: Bool?
        let alpha: Double
        let margin: Double
        let bad_direction: String
        let min_samples: Int
        let max_samples: Int
        let looks: [Look]
        let expected: [Expected]
        var testDescription: String { name }
    }
    struct Look: Decodable, Sendable {
        let baseline: [Double]
        let canary: [Double]
    }
    struct Expected: Decodable, Sendable {
        let n_baseline: Int
        let n_canary: Int
        let estimate: Double
        let outcome: String
        let information: Double?
        let rho: Double?
        let log_mixture: Double?
        let p_value: Double?
        let lower: Double?
        let upper: Double?
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: Fixtures.path("canary/sequential_reference.json"))
        guard let data = try? Data(contentsOf: url), let reference = try? JSONDecoder().decode(Reference.self, from: data) else { return [] }
        return reference.cases
    }()

    @Test func theReferenceFileIsReadAndHasEveryKindOfCase() {
        #expect(Self.cases.count == 8)
        #expect(Set(Self.cases.map(\.measure)) == ["proportion", "mean"])
        #expect(Self.cases.contains { $0.paired && $0.measure == "proportion" })
        #expect(Self.cases.contains { $0.one_sample == true })
    }

    @Test(arguments: cases)
    func everyLookAgreesWithTheReference(_ reference: Case) throws {
        let test = SequentialTest(
            alpha: reference.alpha, margin: reference.margin,
            badDirection: try #require(SequentialTest.BadDirection(rawValue: reference.bad_direction)),
            minSamples: reference.min_samples, maxSamples: reference.max_samples)
        let measure = try #require(SequentialMeasure(rawValue: reference.measure))
        var baseline = ArmStatistics()
        var canary = ArmStatistics()
        var state = SequentialState()
        #expect(reference.looks.count == reference.expected.count)
        for (look, expected) in zip(reference.looks, reference.expected) {
            for value in look.baseline { baseline.add(value) }
            for value in look.canary { canary.add(value) }
            let difference =
                reference.paired
                ? DifferenceEstimate.paired(differences: canary, measure: measure)
                : reference.one_sample == true
                    ? DifferenceEstimate.oneSample(canary, measure: measure, referenceCount: baseline.count)
                    : DifferenceEstimate.unpaired(baseline: baseline, canary: canary, measure: measure)
            let rhoBefore = state.rho
            let result = test.look(difference, state: &state)
            #expect(result.baselineCount == expected.n_baseline)
            #expect(result.canaryCount == expected.n_canary)
            #expect(agrees(result.estimate, expected.estimate))
            #expect(result.outcome.rawValue == expected.outcome)
            if let information = expected.information {
                #expect(agrees(result.information, information))
                #expect(agrees(state.rho, try #require(expected.rho)))
                #expect(agrees(result.logMixture, try #require(expected.log_mixture)))
                #expect(agrees(result.pValue, try #require(expected.p_value)))
                #expect(agrees(result.lower, try #require(expected.lower)))
                #expect(agrees(result.upper, try #require(expected.upper)))
                if let rhoBefore { #expect(state.rho == rhoBefore, "ρ stays fixed once chosen") }
            } else {
                #expect(result.information == nil && state.looks == 0, "burn-in looks leave the test untouched")
            }
        }
    }
}
