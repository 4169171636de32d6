import Foundation

extension HistoryEvent {
    /// A deployment, incident, resolution or incident-tracking line read without JSONDecoder, or
    /// nil for anything it does not read in full, which then goes through JSONDecoder (and is
    /// refused in its words).
    ///
    /// These kinds are most of a long history, and JSONDecoder's keyed containers were 40% of an
    /// import's time. Their lines are flat objects of strings and nulls, so a reader that takes
    /// only that (no escapes, no numbers, no nesting, no repeated keys, valid UTF-8) gives what
    /// JSONDecoder would, and any line it leaves is decoded exactly as before.
    static func decodeFlat(_ line: UnsafeRawBufferPointer) -> HistoryEvent? {
        guard let fields = FlatEventFields(line) else { return nil }
        return fields.event()
    }
}

/// The fields of one flat event line, by key.
struct FlatEventFields {
    /// Every key a flat kind has, in one list; `Deployment.CodingKeys` and the others name the same.
    enum Key: Int, CaseIterable {
        case kind, id, model, version, environment, at, type, commit, committedAt, registeredAt, remediates, recordedAt
        case deployment, summary, incident, note

        var name: StaticString {
            switch self {
            case .kind: "kind"
            case .id: "id"
            case .model: "model"
            case .version: "version"
            case .environment: "environment"
            case .at: "at"
            case .type: "type"
            case .commit: "commit"
            case .committedAt: "committed_at"
            case .registeredAt: "registered_at"
            case .remediates: "remediates"
            case .recordedAt: "recorded_at"
            case .deployment: "deployment"
            case .summary: "summary"
            case .incident: "incident"
            case .note: "note"
            }
        }

        init?(_ bytes: UnsafeRawBufferPointer) {
            for key in Key.allCases {
                let name = key.name
                if name.utf8CodeUnitCount == bytes.count, memcmp(name.utf8Start, bytes.baseAddress!, bytes.count) == 0 {
                    self = key
                    return
                }
            }
            return nil
        }
    }

    enum Value: Equatable {
        case null
        case text(String)
    }

    private var values = [Value?](repeating: nil, count: Key.allCases.count)

    /// Reads `{"key": "text" | null, …}` and nothing else, whitespace allowed where JSON allows it.
    init?(_ b: UnsafeRawBufferPointer) {
        var i = 0
        func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }
        /// The bytes of a string without escapes or control characters, `i` past its closing quote.
        func string() -> UnsafeRawBufferPointer? {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            var end = start
            while end < b.count {
                let c = b[end]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
                end += 1
            }
            guard end < b.count else { return nil }
            i = end + 1
            return UnsafeRawBufferPointer(rebasing: b[start..<end])
        }
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { return nil }
        while true {
            skipSpace()
            guard let name = string(), let key = Key(name), values[key.rawValue] == nil else { return nil }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "n") {
                guard i + 4 <= b.count, b[i + 1] == UInt8(ascii: "u"), b[i + 2] == UInt8(ascii: "l"), b[i + 3] == UInt8(ascii: "l") else { return nil }
                i += 4
                values[key.rawValue] = .null
            } else {
                guard let text = string(), let value = String(validating: text, as: UTF8.self) else { return nil }
                values[key.rawValue] = .text(value)
            }
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            break
        }
        skipSpace()
        guard i == b.count else { return nil }
    }

    /// The event, if the kind is a flat one, every key is the kind's, and every value has the
    /// type the kind's `Codable` conformance reads (required keys present and not null).
    func event() -> HistoryEvent? {
        guard case .text(let name)? = values[Key.kind.rawValue], let kind = HistoryEvent.Kind(rawValue: name) else { return nil }
        let keys: Set<Key>
        switch kind {
        case .deployment: keys = [.id, .model, .version, .environment, .at, .type, .commit, .committedAt, .registeredAt, .remediates, .recordedAt]
        case .incident: keys = [.id, .model, .environment, .at, .deployment, .summary, .recordedAt]
        case .resolution: keys = [.id, .model, .at, .incident, .recordedAt]
        case .incidentTracking: keys = [.id, .model, .at, .note, .recordedAt]
        case .run, .canaryAnalysis: return nil
        }
        for key in Key.allCases where key != .kind && values[key.rawValue] != nil && !keys.contains(key) { return nil }
        guard let id = text(.id), let model = text(.model), let at = instant(.at), let recordedAt = instant(.recordedAt) else { return nil }
        switch kind {
        case .deployment:
            guard let version = text(.version), let environment = text(.environment), let type = text(.type).flatMap(Deployment.Kind.init),
                let commit = optionalText(.commit), let committedAt = optionalInstant(.committedAt),
                let registeredAt = optionalInstant(.registeredAt), let remediates = optionalText(.remediates)
            else { return nil }
            return .deployment(
                Deployment(
                    id: id, model: model, version: version, environment: environment, at: at, type: type, commit: commit,
                    committedAt: committedAt, registeredAt: registeredAt, remediates: remediates, recordedAt: recordedAt))
        case .incident:
            guard let environment = text(.environment), let deployment = optionalText(.deployment), let summary = optionalText(.summary)
            else { return nil }
            return .incident(
                Incident(id: id, model: model, environment: environment, at: at, deployment: deployment, summary: summary, recordedAt: recordedAt))
        case .resolution:
            guard let incident = text(.incident) else { return nil }
            return .resolution(Resolution(id: id, model: model, at: at, incident: incident, recordedAt: recordedAt))
        case .incidentTracking:
            guard let note = optionalText(.note) else { return nil }
            return .incidentTracking(IncidentTracking(id: id, model: model, at: at, note: note, recordedAt: recordedAt))
        case .run, .canaryAnalysis:
            return nil
        }
    }

    /// A required string.
    private func text(_ key: Key) -> String? {
        guard case .text(let value)? = values[key.rawValue] else { return nil }
        return value
    }

    /// An optional string: `.some(nil)` when absent or null, `nil` when it cannot be read.
    private func optionalText(_ key: Key) -> String?? {
        switch values[key.rawValue] {
        case nil, .null?: .some(nil)
        case .text(let value)?: .some(value)
        }
    }

    private func instant(_ key: Key) -> Instant? { text(key).flatMap(Instant.init(rfc3339:)) }

    private func optionalInstant(_ key: Key) -> Instant?? {
        switch values[key.rawValue] {
        case nil, .null?: return .some(nil)
        case .text(let value)?:
            guard let instant = Instant(rfc3339: value) else { return nil }
            return .some(instant)
        }
    }
}
