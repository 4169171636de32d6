/// What one pass over the dataset measured, for every version at once.
public struct Evaluation: Sendable, Equatable {
    /// Rows in the dataset.
    public var datasetRows: Int
    /// Rows every version had a prediction for: the rows all metrics are computed on.
    public var evaluatedRows: Int
    public var datasetSHA256: String
    /// In the order the versions were given.
    public var versions: [VersionEvaluation]
    /// Declared input columns whose cells did not match their type, keyed `name:kind`.
    var schemaProblems: [String: SchemaCheck.Problem] = [:]
    /// Every evaluated row's label and each version's prediction, when kept.
    var rows: KeptRows?
    /// The evaluation data's values in the drift columns, missing cells dropped.
    var driftCurrent: [DriftColumnValues] = []
}

/// Row-aligned labels, predictions and groups, kept so that a bootstrap can recompute any
/// metric on a resample without reading the data again.
struct KeptRows: Sendable, Equatable {
    var labels: [Double]
    /// Per version, in the order the versions were given, `widths[v]` values a row: the
    /// score, the value, each class's probability, or the predicted class.
    var predictions: [[Double]]
    var widths: [Int]
    /// The slices the checks name, in the order of `Evaluator.Options.slices`.
    var slices: [KeptSlice] = []

    /// Version `v`'s predictions on its own, as the resampled metrics take them.
    func version(_ v: Int) -> ResampledMetrics.Predictions {
        ResampledMetrics.Predictions(values: predictions[v], width: widths[v])
    }
}

/// Which group of one slice each kept row belongs to.
struct KeptSlice: Sendable, Equatable {
    var columns: [String]
    /// `sex, age_band`, as check subjects name the slice.
    var key: String { columns.joined(separator: ", ") }
    /// Row → group number, groups numbered in order of first appearance.
    var groupOfRow: [UInt32]
    /// By group number: `sex=female, age_band=<25`.
    var labels: [String]
    var values: [[String]]
    /// By group number: rows in the whole evaluation, which the minimum group size applies to.
    var counts: [Int]
}

public struct VersionEvaluation: Sendable, Equatable {
    public var version: String
    public var metrics: [String: Double]
    /// Per-group metrics for each slice the checks asked for.
    public var slices: [SliceEvaluation]
    public var predictionsPath: String
    public var predictionsSHA256: String?
    public var joinStrategy: String
    public var layout: PredictionLayout
    /// McNemar's exact test against the first version evaluated (the champion), binary tasks.
    public var mcnemar: McNemarTest? = nil
    /// DeLong's test of the ROC AUCs against the first version evaluated, binary tasks.
    public var delong: DeLongTest? = nil
    /// ROC curve and confusion matrix (binary tasks).
    public var curves: Curves? = nil
}
