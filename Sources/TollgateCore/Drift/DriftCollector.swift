/// Gathers the values of the drifting columns from a stream of rows: the reference file in a
/// pass of its own, the evaluation data during the evaluation pass.
struct DriftCollector {
    let columns: [String]
    private let indices: [Int]
    /// Whether each column is numerical (decided by the reference).
    private let numerical: [Bool]
    private var numbers: [[Double]]
    private var text: [[String]]

    init<Reader: TabularReader>(columns: [String], numerical: [Bool], reader: Reader) throws(TollgateError) {
        self.columns = columns
        var indices: [Int] = []
        for column in columns { indices.append(try reader.index(ofColumn: column, role: "a drift column", kind: .dataset)) }
        self.indices = indices
        self.numerical = numerical
        numbers = Array(repeating: [], count: columns.count)
        text = Array(repeating: [], count: columns.count)
    }

    mutating func add<Reader: TabularReader>(_ reader: Reader) throws(TollgateError) {
        for c in columns.indices {
            let bytes = reader.field(indices[c])
            if bytes.isEmpty { continue }  // missing: dropped, as Evidently drops NaN
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

    var values: [DriftColumnValues] {
        columns.indices.map { numerical[$0] ? .numbers(numbers[$0]) : .categories(text[$0]) }
    }

    /// Reads the reference file whole, deciding each column's type from it: numerical when
    /// every non-empty cell is a finite number (pandas would give it a numeric dtype).
    static func reference(
        path: String, namedAt origin: SourceLocation? = nil, columns requested: [String]?, excluding: Set<String>
    ) throws(TollgateError) -> (columns: [String], values: [DriftColumnValues]) {
        let reader = try TabularReaders.open(path, hashing: false, kind: .dataset, namedAt: origin, key: "dataset.reference")
        let columns = requested ?? reader.columns.filter { !excluding.contains($0) }
        var indices: [Int] = []
        for column in columns { indices.append(try reader.index(ofColumn: column, role: "a drift column of the reference", kind: .dataset)) }
        var raw = [[String]](repeating: [], count: columns.count)
        while try reader.next() {
            for c in columns.indices {
                let bytes = reader.field(indices[c])
                if !bytes.isEmpty { raw[c].append(String(decoding: bytes, as: UTF8.self)) }
            }
        }
        guard !(raw.first?.isEmpty ?? true) else {
            throw TollgateError(.dataset, at: SourceLocation(file: path, line: 2), "the reference dataset has a header but no rows")
        }
        let values: [DriftColumnValues] = raw.map { cells in
            let parsed = cells.map { cell in Array(cell.utf8).withUnsafeBytes { NumberParser.double($0) } }
            if parsed.allSatisfy({ $0?.isFinite == true }) { return .numbers(parsed.map { $0! }) }
            return .categories(cells)
        }
        return (columns, values)
    }
}
