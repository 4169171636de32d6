/// Reads the dataset as batches of feature rows, in dataset order, one batch in memory at a time.
///
/// The live scorer and the load generator both take their requests' rows from here, so a
/// request carries the same values whichever of them sends it.
public final class FeatureReader {
    public let features: FeatureColumns
    private let reader: any TabularReader
    private let idIndex: Int
    private let indices: [Int]

    /// - Parameter hashing: also work out the dataset's sha256, given by `sha256` at the end.
    public init(dataset: DatasetSpec, features: FeatureColumns, hashing: Bool = false) throws(TollgateError) {
        reader = try TabularReaders.open(dataset.path, hashing: hashing, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
        idIndex = try reader.index(ofColumn: dataset.idColumn, role: "dataset.id", kind: .dataset)
        var indices: [Int] = []
        for column in features.columns {
            indices.append(try reader.index(ofColumn: column.name, role: "a feature the scorer sends", kind: .dataset))
        }
        self.indices = indices
        self.features = features
    }

    /// The dataset's sha256, once `next` has returned nil.
    public var sha256: String? { reader.finalizeDigest() }

    /// Up to `size` rows, or nil at the end of the data.
    public func next(_ size: Int) throws(TollgateError) -> FeatureBatch? {
        var ids: [String] = []
        var rows: [[FeatureValue]] = []
        ids.reserveCapacity(size)
        rows.reserveCapacity(size)
        while rows.count < size, try reader.next() {
            ids.append(reader.string(idIndex))
            var row: [FeatureValue] = []
            row.reserveCapacity(indices.count)
            for (k, index) in indices.enumerated() {
                let column = features.columns[k]
                row.append(try FeatureCell.value(reader.field(index), as: column.kind, column: column.name, at: reader.location(ofField: index)))
            }
            rows.append(row)
        }
        return rows.isEmpty ? nil : FeatureBatch(columns: features.names, ids: ids, rows: rows)
    }
}
