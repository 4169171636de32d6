import Foundation
import TollgateCore

/// One line of history: a run, a deployment (rollbacks and hotfixes included), an incident, its
/// resolution, the statement that a model's incidents are tracked, or one look of a canary analysis.
///
/// The JSON Lines form is flat — `{"kind":"deployment","id":…,"model":…}` — so a line reads on
/// its own, survives `grep` and `jq`, and moves between stores; the id makes re-importing a no-op.
public enum HistoryEvent: Sendable, Equatable {
    case run(RunRecord)
    case deployment(Deployment)
    case incident(Incident)
    case resolution(Resolution)
    case incidentTracking(IncidentTracking)
    case canaryAnalysis(CanaryAnalysisRecord)

    public enum Kind: String, Sendable, CaseIterable, Codable {
        case run, deployment, incident, resolution
        case incidentTracking = "incident_tracking"
        case canaryAnalysis = "canary_analysis"
    }

    public var kind: Kind {
        switch self {
        case .run: .run
        case .deployment: .deployment
        case .incident: .incident
        case .resolution: .resolution
        case .incidentTracking: .incidentTracking
        case .canaryAnalysis: .canaryAnalysis
        }
    }

    public var id: String {
        switch self {
        case .run(let r): r.id
        case .deployment(let d): d.id
        case .incident(let i): i.id
        case .resolution(let r): r.id
        case .incidentTracking(let t): t.id
        case .canaryAnalysis(let c): c.id
        }
    }

    public var model: String {
        switch self {
        case .run(let r): r.model
        case .deployment(let d): d.model
        case .incident(let i): i.model
        case .resolution(let r): r.model
        case .incidentTracking(let t): t.model
        case .canaryAnalysis(let c): c.model
        }
    }

    public var at: Instant {
        switch self {
        case .run(let r): r.at
        case .deployment(let d): d.at
        case .incident(let i): i.at
        case .resolution(let r): r.at
        case .incidentTracking(let t): t.at
        case .canaryAnalysis(let c): c.at
        }
    }

    public var recordedAt: Instant {
        switch self {
        case .run(let r): r.recordedAt
        case .deployment(let d): d.recordedAt
        case .incident(let i): i.recordedAt
        case .resolution(let r): r.recordedAt
        case .incidentTracking(let t): t.recordedAt
        case .canaryAnalysis(let c): c.recordedAt
        }
    }

    /// A fresh id for an event recorded now.
    public static func newID() -> String { UUID().uuidString.lowercased() }
}

extension HistoryEvent {
    /// The event's own fields plus `kind`, in one flat object.
    private struct Tagged<Value: Encodable>: Encodable {
        var kind: Kind
        var value: Value

        private enum Key: String, CodingKey { case kind }

        func encode(to encoder: Encoder) throws {
            try value.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(kind, forKey: .kind)
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The event as one line of JSON (no newline), keys sorted so exports diff cleanly.
    public func jsonLine() throws(TollgateError) -> Data {
        do {
            switch self {
            case .run(let r): return try Self.encoder.encode(Tagged(kind: kind, value: r))
            case .deployment(let d): return try Self.encoder.encode(Tagged(kind: kind, value: d))
            case .incident(let i): return try Self.encoder.encode(Tagged(kind: kind, value: i))
            case .resolution(let r): return try Self.encoder.encode(Tagged(kind: kind, value: r))
            case .incidentTracking(let t): return try Self.encoder.encode(Tagged(kind: kind, value: t))
            case .canaryAnalysis(let c): return try Self.encoder.encode(Tagged(kind: kind, value: c))
            }
        } catch {
            throw TollgateError(.history, "cannot encode event \(id): \(error)")
        }
    }

    /// Reads one line of an export; `location` names the file and line for every complaint.
    public static func decode(jsonLine line: Data, at location: SourceLocation) throws(TollgateError) -> HistoryEvent {
        if let event = line.withUnsafeBytes(decodeFlat), !event.id.isEmpty, !event.model.isEmpty {
            try event.validate(at: location)
            return event
        }
        return try decodeWithFoundation(jsonLine: line, at: location)
    }

    /// Every line `decodeFlat` leaves, and the words of every refusal.
    static func decodeWithFoundation(jsonLine line: Data, at location: SourceLocation) throws(TollgateError) -> HistoryEvent {
        do {
            let event = try JSONDecoder().decode(Line.self, from: line).event
            guard !event.id.isEmpty, !event.model.isEmpty else {
                throw TollgateError(.history, at: location, "expected a non-empty 'id' and 'model'")
            }
            try event.validate(at: location)
            return event
        } catch let error as TollgateError {
            throw error
        } catch let error as UnknownKey {
            let allowed = allowedKeys(error.kind)
            throw TollgateError(
                .history, at: location,
                "unknown key '\(Self.printable(error.key))' in a \(error.kind.rawValue) event\(NameSuggestion.hint(for: error.key, in: allowed)); expected one of: \(allowed.joined(separator: ", "))"
            )
        } catch let error as DecodingError {
            throw TollgateError(.history, at: location, "not a history event: \(DecodingErrorText.describe(error))")
        } catch {
            throw TollgateError(.history, at: location, "not a history event: \(error)")
        }
    }

    /// A line decoded in one pass (an import reads millions): its `kind`, then its keys checked
    /// against the kind's, then the kind's own fields from the same parse.
    private struct Line: Decodable {
        var event: HistoryEvent

        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyKey.self)
            let kind = try keys.decode(Kind.self, forKey: AnyKey(stringValue: "kind"))
            let allowed = HistoryEvent.allowedKeys(kind)
            if let unknown = keys.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
                throw UnknownKey(key: unknown, kind: kind)
            }
            switch kind {
            case .run: event = .run(try RunRecord(from: decoder))
            case .deployment: event = .deployment(try Deployment(from: decoder))
            case .incident: event = .incident(try Incident(from: decoder))
            case .resolution: event = .resolution(try Resolution(from: decoder))
            case .incidentTracking: event = .incidentTracking(try IncidentTracking(from: decoder))
            case .canaryAnalysis: event = .canaryAnalysis(try CanaryAnalysisRecord(from: decoder))
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct UnknownKey: Error {
        var key: String
        var kind: Kind
    }
}

/// Says what a `DecodingError` expected and where, in the words of the export format.
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "the line" : "'" + codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context): return "expected \(type) at \(path(context.codingPath))"
        case .valueNotFound(let type, let context): return "expected \(type) at \(path(context.codingPath)), got null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "malformed JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
