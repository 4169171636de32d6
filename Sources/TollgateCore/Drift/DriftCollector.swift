/// Reads the drift reference; the evaluation data's drift columns are gathered during the pass
/// by `DriftColumnsAccumulator`.
enum DriftCollector {
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
