import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Edge cases computed by scikit-learn 1.9.1 (`fixtures/oracle/metric_cases.json`, written by
/// `fixtures/make_fixtures.py`): ties, constant scores, one class, scores at 0, 1 and the
/// threshold, absent classes, constant and zero targets.
@Suite struct MetricCaseTests {
    struct Case: CustomTestStringConvertible, @unchecked Sendable {
        let raw: [String: Any]
        var testDescription: String { raw["name"] as? String ?? "?" }
    }

    static let cases: [Case] = ((try? Fixtures.json("oracle/metric_cases.json")) as? [[String: Any]] ?? []).map(Case.init)

    @Test func theCasesAreThere() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func agreesWithScikitLearn(_ c: Case) throws {
        let raw = c.raw
        let task = try #require(Task(rawValue: raw["task"] as? String ?? ""))
        let truth = try #require(raw["y_true"] as? [Any])
        var values: [String: Double]
        switch task {
        case .binary:
            var accumulator = BinaryAccumulator(threshold: number(raw["threshold"]) ?? 0.5)
            let scores = try #require(raw["y_score"] as? [Any]).compactMap(number)
            for (y, s) in zip(truth.compactMap(number), scores) { accumulator.add(label: y, values: [s]) }
            values = accumulator.metrics()
        case .multiclass:
            let declared = try #require(raw["classes"] as? [Any])
            let classes: [String] = declared.map { "\($0)" }
            let matrix = try #require(raw["y_proba"] as? [[Any]])
            let rows: [[Double]] = matrix.map { $0.compactMap(number) }
            var accumulator = MulticlassAccumulator(classCount: classes.count, hasProbabilities: true)
            for (y, row) in zip(truth.map { "\($0)" }, rows) {
                let index = try #require(classes.firstIndex(of: y))
                accumulator.add(label: Double(index), values: row)
            }
            values = accumulator.metrics()
        case .regression:
            var accumulator = RegressionAccumulator()
            let predictions = try #require(raw["y_pred"] as? [Any]).compactMap(number)
            for (y, p) in zip(truth.compactMap(number), predictions) { accumulator.add(label: y, values: [p]) }
            values = accumulator.metrics()
        }
        let expected = try #require(raw["expected"] as? [String: Any])
        for (name, value) in expected {
            guard let reference = number(value), values[name] != nil else { continue }
            #expect(agrees(values[name], reference), "\(c.testDescription) \(name): tollgate \(values[name]!), scikit-learn \(reference)")
        }
    }
}
