import CLibXML2
import Foundation
import Testing
import TollgateCore
import TollgateSite
import TollgateTestSupport

/// JUnit XML from real runs, validated with libxml2 against the common schema: Jenkins'
/// junit-10.xsd (`fixtures/schema/`, MIT, as shipped in pytest's sources), which GitLab's and
/// GitHub's reporters also accept.
@Suite("JUnit XML")
struct JUnitSchemaTests {
    /// Validation errors, one per line; empty when the document is valid.
    static func validate(_ xml: [UInt8]) throws -> [String] {
        let schemaPath = Fixtures.path("schema/junit-10.xsd")
        guard let parser = xmlSchemaNewParserCtxt(schemaPath), let schema = xmlSchemaParse(parser) else {
            throw SupportError(message: "cannot load \(schemaPath)")
        }
        defer {
            xmlSchemaFree(schema)
            xmlSchemaFreeParserCtxt(parser)
        }
        guard
            let document = xml.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlReadMemory($0, Int32(buffer.count), "junit.xml", nil, 0) }
            })
        else { return ["not well-formed XML"] }
        defer { xmlFreeDoc(document) }
        let context = xmlSchemaNewValidCtxt(schema)
        defer { xmlSchemaFreeValidCtxt(context) }
        let status = xmlSchemaValidateDoc(context, document)
        return status == 0 ? [] : ["xmlSchemaValidateDoc returned \(status)"]
    }

    /// The German-credit demo: a passing candidate and a failing one, with warnings and an
    /// inconclusive intersection.
    static func demoReport() throws -> RunReport {
        let scratch = try ScratchDirectory()
        let json = scratch.path("run.json")
        let result = try Tool.run(["run", "-c", Fixtures.path("demo/tollgate.yml"), "--json", json, "--no-record", "-q"])
        #expect(result.exitCode == 1, "\(result.stderr)")
        return try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    }

    @Test("the demo run's JUnit is valid against junit-10.xsd and counts what the gate decided")
    func demoIsValid() throws {
        let report = try Self.demoReport()
        let xml = try JUnitReport(report: report).xml()
        #expect(try Self.validate(xml) == [])
        let text = String(decoding: xml, as: UTF8.self)
        let checks = report.candidates.flatMap { $0.checks ?? [] }
        #expect(text.components(separatedBy: "<testcase ").count - 1 == checks.count)
        #expect(
            text.components(separatedBy: "<failure ").count - 1
                == checks.filter { $0.outcome == .fail || ($0.outcome == .inconclusive && $0.severity == .block) }.count)
        #expect(text.components(separatedBy: "<skipped ").count - 1 == checks.filter { $0.outcome == .inconclusive && $0.severity == .warn }.count)
        let suites = Set(report.candidates.flatMap { c in (c.checks ?? []).map { "\(c.version) \($0.suite)" } })
        #expect(text.components(separatedBy: "<testsuite ").count - 1 == suites.count)
        #expect(text.contains(#"<property name="dataset.sha256" value="\#(report.inputs.dataset.sha256)"/>"#))
    }

    @Test("a blocking inconclusive check is a failure of type 'inconclusive' (the run is a no-go); an inconclusive warning stays skipped")
    func inconclusiveReadsAsNotPassed() throws {
        var report = try Self.demoReport()
        var blocking = report.candidates[0].checks![0]
        blocking.outcome = .inconclusive
        blocking.severity = .block
        blocking.message = "group sex=female has 12 rows, fewer than 30"
        var warning = blocking
        warning.severity = .warn
        warning.message = "group age_band=<25 has 9 rows, fewer than 30"
        report.candidates = [report.candidates[0]]
        report.candidates[0].checks = [blocking, warning]
        let xml = try JUnitReport(report: report).xml()
        #expect(try Self.validate(xml) == [])
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains(#"<failure type="inconclusive" message="inconclusive (blocks: no-go): group sex=female has 12 rows, fewer than 30">"#))
        #expect(text.contains(#"<skipped message="inconclusive (warning, does not block): group age_band=&lt;25 has 9 rows, fewer than 30"/>"#))
        #expect(text.contains(#"failures="1" errors="0" skipped="1""#))
    }

    @Test("hostile text stays well-formed and valid: quotes, angle brackets, control characters")
    func hostileText() throws {
        var report = try Self.demoReport()
        report.model = "<script>alert(\"x\")</script> & \u{1} \u{7}"
        report.candidates[0].checks![0].message = "]]> <!-- \u{0}"
        let xml = try JUnitReport(report: report).xml()
        #expect(try Self.validate(xml) == [])
        let text = String(decoding: xml, as: UTF8.self)
        #expect(!text.contains("<script>"))
        #expect(text.contains("&lt;script&gt;"))
    }

    @Test("the Markdown summary leads with the decision and the failed checks, escapes registry text, and stays under 1 MiB")
    func summary() throws {
        var report = try Self.demoReport()
        let text = MarkdownSummary(report: report, siteURL: "https://ci.example/site", runPage: "runs/r1.html").markdown()
        #expect(text.hasPrefix("## ❌ Tollgate: credit-risk — FAIL (exit 1)"))
        #expect(text.contains("[full report](https://ci.example/site/runs/r1.html)"))
        let failedAt = try #require(text.range(of: "\n| fail | "))
        let inconclusiveAt = try #require(text.range(of: "\n| inconclusive | "))
        #expect(failedAt.lowerBound < inconclusiveAt.lowerBound)
        report.model = "[pwn](javascript:alert(1)) | <b>"
        let hostile = MarkdownSummary(report: report).markdown()
        #expect(!hostile.contains("[pwn](javascript"))
        #expect(!hostile.contains("<b>"))
        // A run with a great many checks is cut, with a note, under GitHub's cap.
        let many = Array(repeating: report.candidates[0].checks![0], count: 40_000)
        report.candidates[0].checks = many.map {
            var c = $0
            c.outcome = .fail
            return c
        }
        let long = MarkdownSummary(report: report).markdown()
        #expect(long.utf8.count < 1 << 20)
        #expect(long.contains("cut to stay under GitHub's 1 MiB summary limit"))
    }
}
