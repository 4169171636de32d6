import Foundation
import Testing
import TollgateStore

@Suite("RFC 3339 times")
struct InstantTests {
    @Test(
        "parses what RFC 3339 allows and writes UTC back",
        arguments: [
            ("2026-03-01T09:30:00Z", "2026-03-01T09:30:00Z"),
            ("2026-03-01t09:30:00z", "2026-03-01T09:30:00Z"),
            ("2026-03-01T09:30:00.5Z", "2026-03-01T09:30:00.500Z"),
            ("2026-03-01T09:30:00.123456Z", "2026-03-01T09:30:00.123Z"),
            ("2026-03-01T11:30:00+02:00", "2026-03-01T09:30:00Z"),
            ("2026-03-01T00:30:00-01:00", "2026-03-01T01:30:00Z"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
            ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
            ("2000-03-01 00:00:00Z", "2000-03-01T00:00:00Z")
        ])
    func parses(text: String, canonical: String) throws {
        let instant = try #require(Instant(rfc3339: text))
        #expect(instant.rfc3339 == canonical)
    }

    @Test("agrees with Foundation on the epoch offset")
    func epoch() throws {
        let instant = try #require(Instant(rfc3339: "2026-11-22T12:34:56Z"))
        let formatter = ISO8601DateFormatter()
        let date = try #require(formatter.date(from: "2026-11-22T12:34:56Z"))
        #expect(instant.milliseconds == Int64(date.timeIntervalSince1970) * 1000)
    }

    @Test(
        "refuses anything that is not a whole date-time with a zone",
        arguments: [
            "2026-03-01", "2026-03-01T09:30:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z",
            "2026-03-01T09:30:00.Z", "2026-03-01T09:30:00+0200", "2026-03-01T09:30:00Zjunk", "yesterday", ""
        ])
    func refuses(text: String) {
        #expect(Instant(rfc3339: text) == nil)
    }

    @Test("days and ISO weeks: 1970-01-01 was a Thursday in week 0; 1970-01-05 began week 1")
    func calendar() throws {
        #expect(try #require(Instant(rfc3339: "1970-01-01T23:59:59Z")).day == 0)
        #expect(try #require(Instant(rfc3339: "1969-12-31T23:59:59Z")).day == -1)
        #expect(try #require(Instant(rfc3339: "2026-06-01T00:00:00Z")).day == 20605)
    }
}
