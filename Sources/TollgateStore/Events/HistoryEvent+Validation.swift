import Foundation
import TollgateCore

/// The rules an imported line must meet, the same a recorded event meets by construction.
///
/// `record` builds events from registry names and generated ids; `history import` takes them
/// from a file, where a NUL in a model name (which the store would cut, merging `m\0a` into
/// `m`), a blank id or an unknown key would otherwise be stored as written (issue #15).
extension HistoryEvent {
    /// Keys each kind's line may carry; anything else is a typo or a foreign format.
    static func allowedKeys(_ kind: Kind) -> [String] {
        switch kind {
        case .run: ["kind", "id", "report", "recorded_at"]
        case .deployment:
            ["kind", "id", "model", "version", "environment", "at", "type", "commit", "committed_at", "registered_at", "remediates", "recorded_at"]
        case .incident: ["kind", "id", "model", "environment", "at", "deployment", "summary", "recorded_at"]
        case .resolution: ["kind", "id", "model", "at", "incident", "recorded_at"]
        case .incidentTracking: ["kind", "id", "model", "at", "note", "recorded_at"]
        case .canaryAnalysis: CanaryAnalysisRecord.keys
        }
    }

    /// Names and required fields: not blank, no control characters.
    func validate(at location: SourceLocation) throws(TollgateError) {
        try Self.name(id, "id", at: location)
        try Self.name(model, "model", at: location)
        switch self {
        case .run(let r):
            try Self.name(r.report.model, "report.model", at: location)
        case .deployment(let d):
            try Self.name(d.version, "version", at: location)
            try Self.name(d.environment, "environment", at: location)
            if let commit = d.commit { try Self.name(commit, "commit", at: location) }
            if let remediates = d.remediates { try Self.name(remediates, "remediates", at: location) }
        case .incident(let i):
            try Self.name(i.environment, "environment", at: location)
            if let deployment = i.deployment { try Self.name(deployment, "deployment", at: location) }
            if let summary = i.summary, summary.unicodeScalars.contains(where: { $0.value == 0 }) {
                throw TollgateError(.history, at: location, "'summary' contains a NUL character")
            }
        case .resolution(let r):
            try Self.name(r.incident, "incident", at: location)
        case .incidentTracking(let t):
            if let note = t.note, note.unicodeScalars.contains(where: { $0.value == 0 }) {
                throw TollgateError(.history, at: location, "'note' contains a NUL character")
            }
        case .canaryAnalysis(let c):
            try c.validate(at: location)
        }
    }

    /// A name or reference: printable (no NUL, newline or other control character, which
    /// stores cut or terminals mangle) and not only spaces.
    static func name(_ value: String, _ key: String, at location: SourceLocation) throws(TollgateError) {
        // Nearly every name is plain ASCII: one pass over its bytes decides it, without the
        // Unicode tables (an import spent a tenth of its time here).
        var plain = true
        var blank = true
        for byte in value.utf8 {
            if byte >= 0x80 || byte < 0x20 || byte == 0x7F {
                plain = false
                break
            }
            if byte != 0x20 { blank = false }
        }
        if plain, !blank { return }
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw TollgateError(.history, at: location, "expected a non-blank '\(key)', found '\(value)'")
        }
        if let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw TollgateError(
                .history, at: location,
                "'\(key)' contains the control character U+\(String(format: "%04X", bad.value)): '\(printable(value))'")
        }
    }

    /// The value with control characters shown as `\u{…}`, safe to print on one line.
    static func printable(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.count > 120 ? String(out.prefix(120)) + "…" : out
    }
}
