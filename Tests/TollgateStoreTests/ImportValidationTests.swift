import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `history import` holds imported events to the rules recorded ones meet: printable, non-blank
/// names, required fields present and non-empty, no keys the format does not have. A refused
/// line names its file and line and stores nothing, on SQLite and PostgreSQL alike.
@Suite("History import validation")
struct ImportValidationTests {
    static let good =
        #"{"at":"2026-06-02T10:00:00Z","environment":"production","id":"d1","kind":"deployment","model":"m","recorded_at":"2026-06-02T10:00:00Z","type":"planned","version":"1"}"#

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let line: String
        let says: String
        var testDescription: String { name }
    }

    static func deployment(_ change: (inout [String: String]) -> Void) -> String {
        var fields = [
            "at": "2026-06-03T10:00:00Z", "environment": "production", "id": "d2", "kind": "deployment", "model": "m",
            "recorded_at": "2026-06-03T10:00:00Z", "type": "planned", "version": "2"
        ]
        change(&fields)
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static let cases: [Case] = [
        Case(name: "a model name with a NUL", line: deployment { $0["model"] = "m\u{0}a" }, says: "'model' contains the control character U+0000: 'm\\u{0}a'"),
        Case(name: "a model name with a newline", line: deployment { $0["model"] = "m\na" }, says: "'model' contains the control character U+000A"),
        Case(name: "a model name of one space", line: deployment { $0["model"] = " " }, says: "expected a non-blank 'model', found ' '"),
        Case(name: "an id of one space", line: deployment { $0["id"] = " " }, says: "expected a non-blank 'id', found ' '"),
        Case(name: "an empty version", line: deployment { $0["version"] = "" }, says: "expected a non-blank 'version', found ''"),
        Case(name: "an empty environment", line: deployment { $0["environment"] = "" }, says: "expected a non-blank 'environment', found ''"),
        Case(
            name: "an unknown key", line: deployment { $0["enviroment"] = "staging" },
            says: "unknown key 'enviroment' in a deployment event (did you mean 'environment'?)"),
        Case(
            name: "an incident's empty environment",
            line: #"{"at":"2026-06-03T11:00:00Z","environment":"","id":"i1","kind":"incident","model":"m","recorded_at":"2026-06-03T11:00:00Z"}"#,
            says: "expected a non-blank 'environment'"),
        Case(
            name: "a resolution of a blank incident",
            line: #"{"at":"2026-06-03T12:00:00Z","id":"r1","incident":"  ","kind":"resolution","model":"m","recorded_at":"2026-06-03T12:00:00Z"}"#,
            says: "expected a non-blank 'incident'"),
        Case(
            name: "a resolution's unknown key",
            line: #"{"at":"2026-06-03T12:00:00Z","id":"r1","incident":"i1","kind":"resolution","model":"m","recorded_at":"2026-06-03T12:00:00Z","note":"x"}"#,
            says: "unknown key 'note' in a resolution event")
    ]

    @Test("a bad line is refused with its file and line, and nothing of it is stored", arguments: StoreKind.allCases, cases)
    func refused(kind: StoreKind, _ c: Case) throws {
        let store = try TestStore(kind)
        let file = store.path("import.jsonl")
        try Data((Self.good + "\n" + c.line + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let history = try store.open()
        defer { history.close() }
        #expect {
            _ = try history.importLines(from: LineSource(path: file), now: Instant(rfc3339: "2026-06-30T00:00:00Z")!)
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.kind == .history && error.location == SourceLocation(file: file, line: 2) && error.message.contains(c.says)
        }
        var ids: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in ids.append(event.id) }
        #expect(ids == [], "the batch with the bad line is not stored")
    }

    @Test("models whose names differ only after a NUL are never merged: each is refused", arguments: StoreKind.allCases)
    func nulNamesAreNotMerged(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let now = Instant(rfc3339: "2026-06-30T00:00:00Z")!
        for name in ["m\u{0}a", "m\u{0}b"] {
            let file = store.path("one.jsonl")
            try Data(
                (Self.deployment {
                    $0["model"] = name
                    $0["id"] = name
                } + "\n").utf8
            ).write(to: URL(fileURLWithPath: file))
            #expect(throws: TollgateError.self) { _ = try history.importLines(from: LineSource(path: file), now: now) }
        }
        let file = store.path("plain.jsonl")
        try Data((Self.good + "\n").utf8).write(to: URL(fileURLWithPath: file))
        #expect(try history.importLines(from: LineSource(path: file), now: now).added == 1)
        var models: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in models.append(event.model) }
        #expect(models == ["m"])
    }

    @Test("the year fixture, written by export, passes the same validation", arguments: StoreKind.allCases)
    func exportsStillImport(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        let result = try history.importLines(
            from: LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")), now: Instant(rfc3339: "2026-12-31T00:00:00Z")!)
        #expect(result.added > 0)
        #expect(result.known == 0)
    }
}
