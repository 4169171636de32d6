/// The columns a live scorer sends, in order, each with the type its values are sent as.
///
/// A version that declares `schema.inputs` is sent exactly those columns, typed as declared: the
/// schema is the model's contract. Otherwise every dataset column but the id, the label and
/// `dataset.exclude` is sent, a column typed as a number when every non-empty cell in it is one
/// (found by one streaming pass over the dataset), so a model never sees `"42"` for 42.
public struct FeatureColumns: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var kind: SchemaColumn.Kind

        public init(name: String, kind: SchemaColumn.Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public var columns: [Column]

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public var names: [String] { columns.map(\.name) }

    /// A stable text for cache keys: `name:kind` joined by commas.
    public var fingerprint: String { columns.map { "\($0.name):\($0.kind.rawValue)" }.joined(separator: ",") }

    /// The features `version` is sent from `dataset`.
    public static func resolve(for version: ModelVersion, dataset: DatasetSpec) throws(TollgateError) -> FeatureColumns {
        let reader = try TabularReaders.open(dataset.path, hashing: false, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
        for name in dataset.exclude where !reader.columns.contains(name) {
            throw TollgateError(
                .config, at: dataset.excludeLocation ?? dataset.location,
                "dataset.exclude names column '\(name)', which the dataset does not have\(NameSuggestion.hint(for: name, in: reader.columns))")
        }
        if !version.schema.isEmpty {
            for column in version.schema where !reader.columns.contains(column.name) {
                throw TollgateError(
                    .dataset, at: SourceLocation(file: dataset.path, line: 1),
                    "\(version.model)@\(version.version) declares input '\(column.name)' in schema.inputs, but the dataset has no such column"
                        + NameSuggestion.hint(for: column.name, in: reader.columns))
            }
            return FeatureColumns(version.schema.map { Column(name: $0.name, kind: $0.kind) })
        }
        let skipped = Set([dataset.idColumn, dataset.labelColumn] + dataset.exclude)
        let names = reader.columns.filter { !skipped.contains($0) }
        guard !names.isEmpty else {
            throw TollgateError(
                .dataset, at: dataset.pathLocation ?? dataset.location,
                "no feature columns to send to \(version.model)@\(version.version): the dataset has only its id and label (and excluded) columns")
        }
        let indices = names.map { reader.columns.firstIndex(of: $0)! }
        var numeric = [Bool](repeating: true, count: names.count)
        var integral = [Bool](repeating: true, count: names.count)
        while try reader.next() {
            for (k, index) in indices.enumerated() where numeric[k] {
                let field = reader.field(index)
                if FeatureCell.isEmpty(field) { continue }
                guard NumberParser.double(field)?.isFinite == true else {
                    numeric[k] = false
                    continue
                }
                if integral[k], FeatureCell.integer(field) == nil { integral[k] = false }
            }
        }
        return FeatureColumns(
            names.indices.map { k in
                Column(name: names[k], kind: !numeric[k] ? .string : integral[k] ? .integer : .number)
            })
    }
}

/// Reading one dataset cell as a feature value of a given kind.
enum FeatureCell {
    /// Empty or only spaces: sent as `null`.
    static func isEmpty(_ field: UnsafeRawBufferPointer) -> Bool {
        field.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// A whole number written as one (`42`, `-7`), without a fraction or an exponent.
    static func integer(_ field: UnsafeRawBufferPointer) -> Int64? {
        Int64(String(decoding: field, as: UTF8.self).trimmingSpaces())
    }

    /// The cell as `kind` says, or an error at the cell naming what was expected.
    static func value(
        _ field: UnsafeRawBufferPointer, as kind: SchemaColumn.Kind, column: String, at location: @autoclosure () -> SourceLocation
    ) throws(TollgateError) -> FeatureValue {
        if isEmpty(field) { return .null }
        switch kind {
        case .string:
            return .string(String(decoding: field, as: UTF8.self))
        case .number:
            guard let value = NumberParser.double(field), value.isFinite else { throw mismatch(field, "a finite number", column, location()) }
            return .number(value)
        case .integer:
            if let value = integer(field) { return .integer(value) }
            // `3.0` is a whole number too, as pandas writes integer columns that had a gap.
            guard let value = NumberParser.double(field), value == value.rounded(), abs(value) < 9.0e15 else {
                throw mismatch(field, "a whole number", column, location())
            }
            return .integer(Int64(value))
        case .boolean:
            switch String(decoding: field, as: UTF8.self).trimmingSpaces().lowercased() {
            case "true", "1": return .boolean(true)
            case "false", "0": return .boolean(false)
            default: throw mismatch(field, "true or false", column, location())
            }
        }
    }

    private static func mismatch(_ field: UnsafeRawBufferPointer, _ expected: String, _ column: String, _ location: SourceLocation) -> TollgateError {
        TollgateError(
            .dataset, at: location,
            "expected \(expected) in feature column '\(column)' (as the version's schema.inputs types it), found '\(String(decoding: field, as: UTF8.self))'")
    }
}
