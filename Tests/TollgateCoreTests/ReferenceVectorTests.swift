import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The worked cases in `fixtures/reference/metrics_test_vectors.json`, computed by scikit-learn
/// 1.9.1: every case whose metric Tollgate offers must agree to 1e-9.
@Suite struct ReferenceVectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let inputs: [String: [Double]]
        let rows: [[Double]]
        let expected: Double
        var testDescription: String { name }
    }

    /// Which Tollgate metric each vector exercises; absent names are skipped on purpose:
    /// - `log_loss_unnormalized_rows_no_renorm`: a binary version gives one probability, so
    ///   rows that do not sum to one cannot arise; multiclass rows must sum to one (ROC AUC's rule).
    /// - `f1_macro_absent_label_*`, `precision_no_pred_pos_zd1`: explicit `labels=` and
    ///   `zero_division=1` are options Tollgate does not expose (it uses scikit-learn's defaults).
    /// - micro/ovo ROC AUC, multiclass AP, MSE's `force_finite=False`: not offered as metrics.
    static let metricFor: [String: (task: Task, metric: String)] = [
        "accuracy": (.binary, "accuracy"), "balanced_accuracy": (.binary, "balanced_accuracy"),
        "precision_binary": (.binary, "precision"), "recall_binary": (.binary, "recall"), "f1_binary": (.binary, "f1"),
        "mcc_binary": (.binary, "mcc"), "roc_auc_binary_ties": (.binary, "roc_auc"),
        "average_precision_ties": (.binary, "average_precision"), "log_loss_binary_1d": (.binary, "log_loss"),
        "brier_binary": (.binary, "brier"), "roc_auc_one_class": (.binary, "roc_auc"),
        "log_loss_extreme_clip": (.binary, "log_loss"), "f1_no_pred_pos": (.binary, "f1"),
        "precision_macro": (.multiclass, "precision_macro"), "recall_macro": (.multiclass, "recall_macro"),
        "f1_macro": (.multiclass, "f1_macro"), "precision_micro": (.multiclass, "precision_micro"),
        "recall_micro": (.multiclass, "recall_micro"), "f1_micro": (.multiclass, "f1_micro"),
        "precision_weighted": (.multiclass, "precision_weighted"), "recall_weighted": (.multiclass, "recall_weighted"),
        "f1_weighted": (.multiclass, "f1_weighted"), "mcc_multiclass": (.multiclass, "mcc"),
        "balanced_accuracy_multiclass": (.multiclass, "balanced_accuracy"),
        "roc_auc_ovr_macro": (.multiclass, "roc_auc_ovr"), "roc_auc_ovr_weighted": (.multiclass, "roc_auc_ovr_weighted"),
        "log_loss_multiclass": (.multiclass, "log_loss"), "brier_multiclass": (.multiclass, "brier"),
        "mae": (.regression, "mae"), "mse": (.regression, "mse"), "rmse": (.regression, "rmse"), "r2": (.regression, "r2"),
        "mape_with_zero_true": (.regression, "mape"), "medae": (.regression, "median_ae"),
        "explained_variance": (.regression, "explained_variance"),
        "r2_constant_true_imperfect": (.regression, "r2"), "r2_single_sample": (.regression, "r2")
    ]

    static let cases: [Case] = {
        guard let root = try? Fixtures.json("reference/metrics_test_vectors.json") as? [String: Any],
            let all = root["cases"] as? [[String: Any]]
        else { return [] }
        return all.compactMap { raw -> Case? in
            guard let name = raw["name"] as? String, metricFor[name] != nil,
                let inputs = raw["inputs"] as? [String: Any], let expected = number(raw["expected"])
            else { return nil }
            var flat: [String: [Double]] = [:]
            var rows: [[Double]] = []
            for (key, value) in inputs {
                guard let list = value as? [Any] else { continue }
                if let matrix = list as? [[Any]] {
                    rows = matrix.map { $0.compactMap(number) }
                } else {
                    flat[key] = list.compactMap(number)
                }
            }
            return Case(name: name, inputs: flat, rows: rows, expected: expected)
        }
    }()

    @Test func everyOfferedVectorIsLoaded() {
        #expect(Self.cases.count == Self.metricFor.count)
    }

    @Test(arguments: cases)
    func agreesWithScikitLearn(_ c: Case) throws {
        let (task, metric) = try #require(Self.metricFor[c.name])
        let truth = try #require(c.inputs["y_true"])
        var value: Double?
        switch task {
        case .binary:
            var accumulator = BinaryAccumulator(threshold: 0.5)
            // Label vectors become scores of 0 and 1, decided at 0.5; a two-column probability
            // matrix gives the positive column.
            let scores = c.inputs["y_score"] ?? c.inputs["y_pred"] ?? c.rows.map { $0[1] }
            for (y, s) in zip(truth, scores) { accumulator.add(label: y, values: [s]) }
            value = accumulator.metrics()[metric]
        case .multiclass:
            let classCount = Int(truth.max()!) + 1
            var accumulator = MulticlassAccumulator(classCount: classCount, hasProbabilities: !c.rows.isEmpty)
            if c.rows.isEmpty {
                for (y, p) in zip(truth, c.inputs["y_pred"]!) { accumulator.add(label: y, values: [p]) }
            } else {
                for (y, row) in zip(truth, c.rows) { accumulator.add(label: y, values: row) }
            }
            value = accumulator.metrics()[metric]
        case .regression:
            var accumulator = RegressionAccumulator()
            for (y, p) in zip(truth, c.inputs["y_pred"]!) { accumulator.add(label: y, values: [p]) }
            value = accumulator.metrics()[metric]
        }
        #expect(agrees(value, c.expected), "\(c.name): \(metric) = \(value.map { "\($0)" } ?? "missing"), scikit-learn \(c.expected)")
    }

    @Test func confusionCountsMatchTheReferenceMatrix() throws {
        let root = try #require(try Fixtures.json("reference/metrics_test_vectors.json") as? [String: Any])
        let raw = try #require((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "confusion_matrix" })
        let inputs = try #require(raw["inputs"] as? [String: [Int]])
        let expected = try #require(raw["expected"] as? [[Int]])
        var accumulator = BinaryAccumulator(threshold: 0.5)
        for (y, p) in zip(inputs["y_true"]!, inputs["y_pred"]!) { accumulator.add(label: Double(y), values: [Double(p)]) }
        #expect([[accumulator.trueNegatives, accumulator.falsePositives], [accumulator.falseNegatives, accumulator.truePositives]] == expected)
    }
}
