import Foundation

/// A served model's JSON response, as a tree.
///
/// Read leniently in one respect: Python servers write a NaN probability as a bare `NaN`, which
/// strict JSON refuses; JSON5 reads it, so the message can say "NaN" instead of "not JSON".
indirect enum ResponseJSON: Decodable, Equatable {
    case number(Double)
    case string(String)
    case boolean(Bool)
    case null
    case array([ResponseJSON])
    case object([String: ResponseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode([ResponseJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ResponseJSON].self))
        }
    }

    /// Parses a response body; anything that is not JSON is a decode failure quoting its start.
    static func parse(_ body: Data) throws(ScoreDecodeFailure) -> ResponseJSON {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        do {
            return try decoder.decode(ResponseJSON.self, from: body)
        } catch {
            throw .decode("the response is not JSON: \(excerpt(body))")
        }
    }

    /// The first characters of a body, on one line, for messages.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return body.isEmpty ? "(empty body)" : "'\(text)\(body.count > 120 ? "…" : "")'"
    }

    subscript(key: String) -> ResponseJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The leaves of nested arrays in row-major order (OIP v2 allows nested `data`).
    func flattened() -> [ResponseJSON] {
        guard case .array(let items) = self else { return [self] }
        return items.flatMap { $0.flattened() }
    }

    /// A short name of the value's kind, for messages.
    var kindName: String {
        switch self {
        case .number: "a number"
        case .string: "a string"
        case .boolean: "a boolean"
        case .null: "null"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
