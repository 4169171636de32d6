/// Keeps each joined row's label and every version's prediction, for resampling and the
/// paired tests; with keeping off, `add` is a no-op and nothing is kept.
struct KeptRowsAccumulator: RowAccumulator {
    let enabled: Bool
    private var labels: [Double] = []
    private var predictions: [[Double]]
    private var widths: [Int]

    init(versions: Int, enabled: Bool) {
        self.enabled = enabled
        predictions = [[Double]](repeating: [], count: enabled ? versions : 0)
        widths = [Int](repeating: 1, count: versions)
    }

    @inline(__always)
    mutating func add(_ row: JoinedRow) {
        guard enabled else { return }
        labels.append(row.label)
        for v in 0..<row.versionCount {
            widths[v] = row.predictions[v].count
            predictions[v].append(contentsOf: row.predictions[v])
        }
    }

    /// The kept rows, without slices (the slice accumulator knows the groups); nil when off.
    consuming func finish() -> KeptRows? {
        enabled ? KeptRows(labels: labels, predictions: predictions, widths: widths) : nil
    }
}
