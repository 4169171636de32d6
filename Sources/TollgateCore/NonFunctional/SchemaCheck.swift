/// What a declared input column's type accepts, and how a failed check is keyed and reported.
enum SchemaCheck {
    struct Problem: Sendable, Equatable {
        var message: String
    }

    /// `name:kind`: one problem is kept per declared column and type.
    static func key(_ column: SchemaColumn) -> String { "\(column.name):\(column.kind.rawValue)" }

    static func accepts(_ kind: SchemaColumn.Kind, _ bytes: UnsafeRawBufferPointer) -> Bool {
        switch kind {
        case .string: return true
        case .number: return NumberParser.double(bytes).map(\.isFinite) ?? false
        case .integer:
            guard let value = NumberParser.double(bytes), value.isFinite else { return false }
            return value == value.rounded()
        case .boolean:
            return ["true", "false", "0", "1", "yes", "no"].contains(String(decoding: bytes, as: UTF8.self).lowercased())
        }
    }
}
