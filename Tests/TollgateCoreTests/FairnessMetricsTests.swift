import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// fairlearn's worked example from `fixtures/reference/metrics_test_vectors.json`, and the
/// edge cases its spec names: a group without positives, all-zero selection rates.
@Suite struct FairnessMetricsTests {
    /// Groups from labels, decisions and a sensitive feature, as the evaluation pass builds them.
    static func slice(_ y: [Int], _ decisions: [Int], _ sensitive: [String]) -> SliceEvaluation {
        var accumulators: [String: BinaryAccumulator] = [:]
        for i in y.indices {
            accumulators[sensitive[i], default: BinaryAccumulator(threshold: 0.5)].add(label: Double(y[i]), values: [Double(decisions[i])])
        }
        let groups = accumulators.keys.sorted().map { key -> GroupEvaluation in
            var accumulator = accumulators[key]!
            return GroupEvaluation(label: "g=\(key)", values: [key], count: accumulator.count, metrics: accumulator.metrics())
        }
        return SliceEvaluation(columns: ["g"], groups: groups)
    }

    static func vector(_ name: String) throws -> (y: [Int], decisions: [Int], sensitive: [String], expected: Any) {
        let root = try #require(try Fixtures.json("reference/metrics_test_vectors.json") as? [String: Any])
        let raw = try #require((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == name })
        let inputs = try #require(raw["inputs"] as? [String: Any])
        return (inputs["y_true"] as! [Int], inputs["y_pred"] as! [Int], inputs["sensitive_features"] as! [String], raw["expected"]!)
    }

    @Test(arguments: [
        ("fl_dp_diff", "demographic_parity_difference[g]"), ("fl_dp_ratio", "demographic_parity_ratio[g]"),
        ("fl_eo_diff_worst", "equalized_odds_difference[g]"), ("fl_eo_ratio_worst", "equalized_odds_ratio[g]")
    ])
    func scalarsAgreeWithFairlearn(_ name: String, _ key: String) throws {
        let v = try Self.vector(name)
        let values = FairnessMetrics.compute(Self.slice(v.y, v.decisions, v.sensitive), referenceGroup: nil)
        #expect(agrees(values[key], try #require(number(v.expected))), "\(name): \(values[key] ?? .nan)")
    }

    @Test func aGroupWithoutPositivesHasTruePositiveRateZero() throws {
        let v = try Self.vector("fl_tpr_by_group_group_b_has_no_positives")
        let expected = try #require(v.expected as? [String: Any])
        for group in Self.slice(v.y, v.decisions, v.sensitive).groups {
            #expect(agrees(group.metrics["recall"], try #require(number(expected[group.values[0]]))), "\(group.label)")
        }
    }

    @Test func allZeroSelectionRatesGiveAnUndefinedRatioAndZeroDifference() {
        let values = FairnessMetrics.compute(Self.slice([1, 0, 1, 0], [0, 0, 0, 0], ["a", "a", "b", "b"]), referenceGroup: nil)
        #expect(values["demographic_parity_ratio[g]"]!.isNaN)
        #expect(values["demographic_parity_difference[g]"] == 0)
        #expect(values["disparate_impact[g]"]!.isNaN, "Aequitas: 0/0 is NaN")
    }

    @Test func disparateImpactDividesByTheReferenceGroupWithAequitasRules() {
        // a: 3 rows, 2 selected; b: 2 rows, none selected; c: 1 row, selected.
        let slice = Self.slice([1, 0, 1, 0, 1, 1], [1, 1, 0, 0, 0, 1], ["a", "a", "a", "b", "b", "c"])
        let largest = FairnessMetrics.compute(slice, referenceGroup: nil)
        #expect(largest["disparate_impact[g=b]"] == 0)
        #expect(largest["disparate_impact[g=c]"] == 1.5)
        #expect(largest["disparate_impact[g]"] == 0)
        let againstB = FairnessMetrics.compute(slice, referenceGroup: "b")
        #expect(againstB["disparate_impact[g=a]"] == 10, "x/0 is Aequitas' fill value 10")
        #expect(againstB["disparate_impact[g=b]"]!.isNaN)
    }
}
