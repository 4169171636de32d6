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
