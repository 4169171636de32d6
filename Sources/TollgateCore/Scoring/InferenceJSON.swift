/// Writes request bodies byte by byte: keys in a fixed order, numbers in their shortest exact
/// form, so the same rows always make the same bytes (and tests can compare them).
struct InferenceJSON {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Swift's shortest representation that reads back as the same double (`0.1`, `1e-05`,
    /// `1169.0`), which is valid JSON for every finite value.
    mutating func number(_ value: Double) { raw(value.description) }

    mutating func value(_ feature: FeatureValue) {
        switch feature {
        case .number(let value): number(value)
        case .integer(let value): raw(String(value))
        case .string(let text): string(text)
        case .boolean(let flag): raw(flag ? "true" : "false")
        case .null: raw("null")
        }
    }

    /// `[a,b,c]`, each element written by `element`.
    mutating func list<C: Collection>(_ items: C, _ element: (inout InferenceJSON, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
