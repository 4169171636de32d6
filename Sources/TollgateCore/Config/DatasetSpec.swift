/// Where the labelled evaluation rows are and how to read them.
public struct DatasetSpec: Sendable, Equatable {
    /// Absolute path of the data file (CSV or JSON Lines, optionally gzip).
    public var path: String
    /// The path as the config wrote it, for messages and reports.
    public var displayPath: String
    public var idColumn: String
    public var labelColumn: String
    public var task: Task
    /// Binary: the label value of the positive class, as text.
    public var positive: String?
    /// Binary: a score at or above this is a positive decision.
    public var threshold: Double
    /// The declared classes (binary: negative then positive; multiclass: as given, sorted).
    public var classes: [String]
    public var sensitive: [String]
    /// Rows without a prediction are skipped (for every version alike) instead of failing.
    public var allowMissingIDs: Bool
    /// Predictions for ids that are not in the dataset are ignored instead of failing.
    public var allowExtraIDs: Bool
    /// The reference (e.g. training) data drift is measured against; absolute path.
    public var referencePath: String? = nil
    /// Where the config names `path` and `reference`: a file that cannot be opened has no
    /// line of its own, so its error points here.
    public var pathLocation: SourceLocation? = nil
    public var referenceLocation: SourceLocation? = nil
    /// Columns never sent to a live scorer (`exclude: [...]`), besides the id and the label:
    /// e.g. a leaky column or one the model was not trained on.
    public var exclude: [String] = []
    public var excludeLocation: SourceLocation? = nil
    /// The classes in the order the config lists them (default `[0, 1]`): the column order of
    /// a served model's probability matrix. `classes` is reordered (binary: negative then
    /// positive; multiclass: sorted) for the accumulators, so it cannot say which column is which.
    public var declaredClasses: [String] = []
    public var location: SourceLocation

    public init(
        path: String, displayPath: String, idColumn: String, labelColumn: String, task: Task,
        positive: String? = nil, threshold: Double = 0.5, classes: [String], sensitive: [String] = [],
        allowMissingIDs: Bool = false, allowExtraIDs: Bool = false, location: SourceLocation
    ) {
        self.path = path
        self.displayPath = displayPath
        self.idColumn = idColumn
        self.labelColumn = labelColumn
        self.task = task
        self.positive = positive
        self.threshold = threshold
        self.classes = classes
        self.sensitive = sensitive
        self.allowMissingIDs = allowMissingIDs
        self.allowExtraIDs = allowExtraIDs
        self.location = location
        self.declaredClasses = classes
    }
}
