/// Checks dataset cells against the types the versions declare for their inputs, during the
/// pass: every dataset row, joined or not, and only until a column's first problem.
struct SchemaCheckAccumulator<Reader: TabularReader>: RowAccumulator {
    private let columns: [(column: SchemaColumn, index: Int?)]
    /// First problem per declared column and type, keyed `name:kind`.
    private(set) var problems: [String: SchemaCheck.Problem] = [:]

    init(_ declared: [SchemaColumn], reader: Reader) {
        var seen: Set<String> = []
        var columns: [(SchemaColumn, Int?)] = []
        for column in declared where seen.insert(SchemaCheck.key(column)).inserted {
            columns.append((column, reader.columns.firstIndex(of: column.name)))
        }
        self.columns = columns
        for (column, index) in columns where index == nil {
            problems[SchemaCheck.key(column)] = SchemaCheck.Problem(message: "the dataset has no column '\(column.name)'")
        }
    }

    /// - Parameter reader: positioned at the row to check.
    @inline(__always)
    mutating func add(_ reader: Reader) {
        guard !columns.isEmpty else { return }
        for (column, index) in columns {
            guard let index, problems[SchemaCheck.key(column)] == nil else { continue }
            let bytes = reader.field(index)
            if !SchemaCheck.accepts(column.kind, bytes) {
                problems[SchemaCheck.key(column)] = SchemaCheck.Problem(
                    message: "\(reader.location(ofField: index)): '\(String(decoding: bytes, as: UTF8.self))' in column '\(column.name)' is not "
                        + "\(column.kind == .integer ? "an" : "a") \(column.kind.rawValue)")
            }
        }
    }

    consuming func finish() -> [String: SchemaCheck.Problem] { problems }
}
