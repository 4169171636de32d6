import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

@testable import TollgateStore

/// The import's fast reader of flat event lines gives exactly what JSONDecoder gives, and leaves
/// every line it does not read in full to JSONDecoder, which also words the refusals.
@Suite struct FlatEventLineTests {
    private static let location = SourceLocation(file: "h.jsonl", line: 1)

    private func flat(_ line: String) -> HistoryEvent? { Data(line.utf8).withUnsafeBytes(HistoryEvent.decodeFlat) }
    private func flat(_ bytes: [UInt8]) -> HistoryEvent? { bytes.withUnsafeBytes(HistoryEvent.decodeFlat) }

    private func foundation(_ bytes: [UInt8]) -> HistoryEvent? {
        try? HistoryEvent.decodeWithFoundation(jsonLine: Data(bytes), at: Self.location)
    }

    @Test("every deployment, incident, resolution and tracking line of the fixtures is read flat, as JSONDecoder reads it")
    func fixtures() throws {
        var read = 0
        for name in ["history/credit-risk-year.jsonl", "history/demo-run.jsonl"] {
            let text = try String(contentsOfFile: Fixtures.path(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let bytes = Array(line.utf8)
                let expected = try HistoryEvent.decodeWithFoundation(jsonLine: Data(bytes), at: Self.location)
                switch expected.kind {
                case .run, .canaryAnalysis: #expect(flat(bytes) == nil)
                case .deployment, .incident, .resolution, .incidentTracking:
                    #expect(flat(bytes) == expected, "\(line)")
                    read += 1
                }
            }
        }
        #expect(read >= 30)
    }

    static let deployment =
        #"{"kind":"deployment","id":"dep-1","model":"credit-risk","at":"2026-03-01T09:30:00Z","recorded_at":"2026-03-01T09:30:00.250Z","version":"7","environment":"production","type":"hotfix","remediates":"dep-0","commit":"eb3d68b","committed_at":"2026-02-28T18:00:00+01:00","registered_at":null}"#

    @Test(
        "read flat: any key order, JSON whitespace, nulls and absent optional keys, text that is not ASCII",
        arguments: [
            deployment,
            " {\t\"id\" : \"dep-1\" ,\r\n\"kind\":\"deployment\",\"model\":\"credit-risk\",\"at\":\"2026-03-01T09:30:00Z\",\"recorded_at\":\"2026-03-01T09:30:00Z\",\"version\":\"7\",\"environment\":\"staging\",\"type\":\"planned\"} ",
            #"{"kind":"incident","id":"inc-1","model":"modèle-é","environment":"production","at":"2026-03-01T10:00:00Z","recorded_at":"2026-03-01T10:00:00Z","summary":"scores drifted ↑ 12%","deployment":null}"#,
            #"{"kind":"resolution","id":"res-1","model":"m","at":"2026-03-01T11:00:00Z","incident":"inc-1","recorded_at":"2026-03-01T11:00:00Z"}"#,
            #"{"kind":"incident_tracking","id":"t-1","model":"m","at":"2026-01-01T00:00:00Z","recorded_at":"2026-01-01T00:00:00Z","note":"PagerDuty"}"#
        ])
    func readFlat(line: String) throws {
        let event = try #require(flat(line))
        #expect(event == foundation(Array(line.utf8)))
    }

    @Test(
        "left to JSONDecoder: escapes, numbers, nesting, repeated or unknown keys, other kinds, bad values, invalid UTF-8, trailing bytes",
        arguments: [
            deployment.replacingOccurrences(of: #""eb3d68b""#, with: #""eb3d\u0036""#),
            deployment.replacingOccurrences(of: #""version":"7""#, with: #""version":7"#),
            deployment.replacingOccurrences(of: #""commit":"eb3d68b""#, with: #""commit":{"sha":"eb3d68b"}"#),
            deployment.replacingOccurrences(of: #""version":"7""#, with: #""version":"7","version":"8""#),
            deployment.replacingOccurrences(of: #""version":"7""#, with: #""version":"7","team":"risk""#),
            #"{"kind":"incident","id":"i","model":"m","environment":"production","at":"2026-03-01T10:00:00Z","recorded_at":"2026-03-01T10:00:00Z","incident":"x"}"#,
            deployment.replacingOccurrences(of: #""deployment""#, with: #""run""#),
            deployment.replacingOccurrences(of: #""hotfix""#, with: #""sideways""#),
            deployment.replacingOccurrences(of: #""2026-03-01T09:30:00Z""#, with: #""yesterday""#),
            deployment.replacingOccurrences(of: #""environment":"production","#, with: ""),
            deployment.replacingOccurrences(of: #""environment":"production""#, with: #""environment":null"#),
            deployment.replacingOccurrences(of: #""eb3d68b""#, with: "\"eb3d\t68b\""),
            deployment + " x",
            deployment + "}",
            "{}",
            ""
        ])
    func leftToJSONDecoder(line: String) {
        #expect(flat(line) == nil)
    }

    @Test("invalid UTF-8 inside a value is left to JSONDecoder, which refuses it")
    func invalidUTF8() {
        var bytes = Array(Self.deployment.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "7"))!
        bytes[at] = 0xFF
        #expect(flat(bytes) == nil)
        #expect(foundation(bytes) == nil)
    }

    @Test("over 20,000 corrupted lines, whenever the fast reader reads one, the import answers as JSONDecoder does")
    func mutations() throws {
        var random = SeededMutator(seed: 14)
        let fixture = try String(contentsOfFile: Fixtures.path("history/credit-risk-year.jsonl"), encoding: .utf8)
        let seeds = [Self.deployment] + fixture.split(separator: "\n").map(String.init).filter { !$0.contains(#""kind":"run""#) }
        let alphabet = Array(#"{}[]":,\ nul0123456789-+.eEtfTZ"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        var readFlat = 0
        for round in 0..<20_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0...random.below(3) {
                let at = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[at] = alphabet[random.below(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
            }
            guard flat(bytes) != nil else { continue }
            readFlat += 1
            // The import's answer, event or refusal (validation included), is JSONDecoder's.
            let imported = Result { () throws(TollgateError) in try HistoryEvent.decode(jsonLine: Data(bytes), at: Self.location) }
            let reference = Result { () throws(TollgateError) in try HistoryEvent.decodeWithFoundation(jsonLine: Data(bytes), at: Self.location) }
            #expect(imported == reference, "\(String(decoding: bytes, as: UTF8.self))")
        }
        // One corrupted line in twelve is still one the fast reader takes: the comparison is not vacuous.
        #expect(readFlat > 1_000)
    }
}
