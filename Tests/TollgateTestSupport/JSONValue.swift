import Foundation

/// JSON read exactly. On Linux, `JSONSerialization` rounds some doubles
/// (0.30000000000000004 comes back as 0.3000000000000001), which is enough to move a score
/// across a calibration bin edge; `JSONDecoder` parses them exactly, so tests read JSON here.
public enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Plain Swift values (`[String: Any]`, `[Any]`, `Int`, `Double`, `NSNull`) for easy casting.
    public var any: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .string(let s): s
        case .array(let a): a.map(\.any)
        case .object(let o): o.mapValues(\.any)
        }
    }

    public static func parse(_ data: Data) throws -> Any {
        try JSONDecoder().decode(JSONValue.self, from: data).any
    }
}
