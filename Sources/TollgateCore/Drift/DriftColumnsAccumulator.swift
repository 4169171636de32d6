/// Gathers the evaluation data's values in the drift columns during the pass, missing cells
/// dropped as Evidently drops NaN; the reference's are read whole by `DriftCollector.reference`.
struct DriftColumnsAccumulator<Reader: TabularReader>: RowAccumulator {
    let columns: [String]
    private let indices: [Int]
    /// Whether each column is numerical (decided by the reference).
    private let numerical: [Bool]
    private var numbers: [[Double]]
    private var text: [[String]]

    /// No columns: nothing is collected, and `finish()` gives no columns.
    init(columns: [String], numerical: [Bool], reader: Reader) throws(TollgateError) {
        self.columns = columns
        var indices: [Int] = []
        for column in columns { indices.append(try reader.index(ofColumn: column, role: "a drift column", kind: .dataset)) }
        self.indices = indices
        self.numerical = numerical
        numbers = Array(repeating: [], count: columns.count)
        text = Array(repeating: [], count: columns.count)
    }

    /// - Parameter reader: positioned at the row to collect.
    @inline(__always)
    mutating func add(_ reader: Reader) throws(TollgateError) {
        for c in 0..<columns.count {
            let bytes = reader.field(indices[c])
            if bytes.isEmpty { continue }
            if numerical[c] {
                guard let value = NumberParser.double(bytes), value.isFinite else {
                    throw TollgateError(
                        .dataset, at: reader.location(ofField: indices[c]),
                        "expected a number in column '\(columns[c])' (numeric in the reference), found '\(String(decoding: bytes, as: UTF8.self))'")
                }
                numbers[c].append(value)
            } else {
                text[c].append(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    consuming func finish() -> [DriftColumnValues] {
        columns.indices.map { numerical[$0] ? .numbers(numbers[$0]) : .categories(text[$0]) }
    }
}
