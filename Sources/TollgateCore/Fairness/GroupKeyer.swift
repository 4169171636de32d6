/// Assigns each dataset row to its group: the combination of its values in the slice's
/// sensitive columns (`[sex, age_band]` → `sex=female, age_band=<25`).
///
/// Sensitive features have few values, so each column's values are found by a short linear
/// scan over bytes and combined into one integer: no string is built for a row.
struct GroupKeyer {
    let columnNames: [String]
    private let columns: [Int]
    private var values: [[[UInt8]]]
    private var combinations: [UInt64: Int] = [:]
    private(set) var groupValues: [[String]] = []

    static let maximumValuesPerColumn = 1 << 16

    init<Reader: TabularReader>(columns names: [String], in reader: Reader) throws(TollgateError) {
        columnNames = names
        var indices: [Int] = []
        for name in names {
            indices.append(try reader.index(ofColumn: name, role: "a sensitive feature", kind: .dataset))
        }
        columns = indices
        values = Array(repeating: [], count: names.count)
    }

    var groupCount: Int { groupValues.count }

    func label(_ group: Int) -> String {
        zip(columnNames, groupValues[group]).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    /// The row's group index; new combinations get the next index.
    mutating func group<Reader: TabularReader>(of reader: Reader) throws(TollgateError) -> Int {
        var key: UInt64 = 0
        for c in columns.indices {
            let bytes = reader.field(columns[c])
            if bytes.isEmpty {
                throw TollgateError(
                    .dataset, at: reader.location(ofField: columns[c]),
                    "missing value in sensitive column '\(columnNames[c])'; fill or drop such rows (fairlearn refuses them too)")
            }
            key = key << 16 | UInt64(try valueIndex(bytes, column: c, reader: reader))
        }
        if let known = combinations[key] { return known }
        var decoded: [String] = []
        var rest = key
        var parts: [Int] = []
        for _ in columns {
            parts.append(Int(rest & 0xFFFF))
            rest >>= 16
        }
        for (c, index) in parts.reversed().enumerated() { decoded.append(String(decoding: values[c][index], as: UTF8.self)) }
        combinations[key] = groupValues.count
        groupValues.append(decoded)
        return groupValues.count - 1
    }

    private mutating func valueIndex<Reader: TabularReader>(_ bytes: UnsafeRawBufferPointer, column c: Int, reader: Reader) throws(TollgateError) -> Int {
        for (i, known) in values[c].enumerated() where bytes.elementsEqual(known) { return i }
        guard values[c].count < Self.maximumValuesPerColumn, columns.count <= 4 else {
            throw TollgateError(
                .dataset, at: reader.location(ofField: columns[c]),
                "sensitive column '\(columnNames[c])' has too many distinct values to slice by")
        }
        values[c].append(Array(bytes))
        return values[c].count - 1
    }
}
