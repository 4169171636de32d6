/// What a served model answered for a batch, before it is laid out for the gate: one value per
/// row, a row-major matrix, or one object per row keyed by class or column name.
enum ServedPredictions: Equatable {
    case values([Double])
    case matrix([Double], width: Int)
    case keyed([[String: Double]])
}

/// Lays served predictions out as the dataset's task expects (`PredictionLayout`), refusing
/// anything that is not exactly one valid prediction per row.
///
/// A probability matrix's columns are in the class order the config lists (`dataset.classes`,
/// default `[0, 1]`), which is scikit-learn's `classes_` order for the usual labels.
struct ServedLayout: Sendable, Equatable {
    var task: Task
    /// The accumulators' order: binary negative then positive, multiclass sorted.
    var classes: [String]
    /// The config's order: the columns of a served probability matrix.
    var declaredClasses: [String]

    init(dataset: DatasetSpec) {
        task = dataset.task
        classes = dataset.classes
        declaredClasses = dataset.declaredClasses.isEmpty ? dataset.classes : dataset.declaredClasses
    }

    /// The tolerance scikit-learn's multiclass ROC AUC demands of a row's sum (np.allclose).
    private static let sumTolerance = 1e-8 + 1e-5

    func predictions(_ served: ServedPredictions, rows: Int) throws(ScoreDecodeFailure) -> [[Double]] {
        switch served {
        case .values(let values):
            guard values.count == rows else { throw .shape("expected \(rows) predictions (one per row sent), found \(values.count)") }
            return try values.indices.map { (row) throws(ScoreDecodeFailure) in try single(values[row], row: row) }
        case .matrix(let data, let width):
            guard width > 0, data.count == rows * width else {
                throw .shape("expected \(rows) rows of \(max(width, 1)) values (\(rows * max(width, 1)) in all), found \(data.count)")
            }
            if width == 1 { return try predictions(.values(data), rows: rows) }
            guard task != .regression else { throw .shape("expected one value per row for a regression, found \(width) per row") }
            guard width == declaredClasses.count else {
                throw .shape(
                    "expected \(declaredClasses.count) probability columns (dataset.classes: \(declaredClasses.joined(separator: ", "))), found \(width)")
            }
            return try (0..<rows).map { (row) throws(ScoreDecodeFailure) in
                try probabilities(Array(data[row * width..<(row + 1) * width]), row: row)
            }
        case .keyed(let objects):
            guard objects.count == rows else { throw .shape("expected \(rows) predictions (one per row sent), found \(objects.count)") }
            return try objects.indices.map { (row) throws(ScoreDecodeFailure) in try keyed(objects[row], row: row) }
        }
    }

    /// One value for a row: a binary model's probability of the positive class, or a regression's value.
    private func single(_ value: Double, row: Int) throws(ScoreDecodeFailure) -> [Double] {
        guard !value.isNaN else { throw .shape("row \(row + 1): the prediction is NaN") }
        switch task {
        case .binary:
            guard (0...1).contains(value) else { throw .shape("row \(row + 1): expected a probability between 0 and 1, found \(value)") }
        case .regression:
            guard value.isFinite else { throw .shape("row \(row + 1): expected a finite value, found \(value)") }
        case .multiclass:
            throw .shape("a multiclass model must return one probability per class for each row, found a single value")
        }
        return [value]
    }

    /// A row of class probabilities in the config's class order, as the layout wants it.
    private func probabilities(_ row: [Double], row index: Int) throws(ScoreDecodeFailure) -> [Double] {
        var total = 0.0
        for p in row {
            guard !p.isNaN else { throw .shape("row \(index + 1): a class probability is NaN") }
            guard (0...1).contains(p) else { throw .shape("row \(index + 1): expected probabilities between 0 and 1, found \(p)") }
            total += p
        }
        guard abs(total - 1) <= Self.sumTolerance else { throw .shape("row \(index + 1): class probabilities must sum to 1, these sum to \(total)") }
        let byClass = Dictionary(uniqueKeysWithValues: zip(declaredClasses, row))
        return task == .binary ? [byClass[classes[1]]!] : classes.map { byClass[$0]! }
    }

    /// An object per row: keyed by every class (or `p_<class>`), or holding one named value.
    private func keyed(_ object: [String: Double], row: Int) throws(ScoreDecodeFailure) -> [Double] {
        let keys = Set(object.keys)
        for prefix in ["", "p_"] where keys == Set(declaredClasses.map { prefix + $0 }) && task != .regression {
            return try probabilities(declaredClasses.map { object[prefix + $0]! }, row: row)
        }
        if object.count == 1, let value = object.values.first { return try single(value, row: row) }
        let expected = task == .regression ? "one value" : "the classes \(declaredClasses.joined(separator: ", ")) (dataset.classes)"
        throw .shape("row \(row + 1): keys \(object.keys.sorted().joined(separator: ", ")) do not match \(expected)")
    }
}
