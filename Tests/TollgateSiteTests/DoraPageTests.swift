import Foundation
import Testing
import TollgateCore
import TollgateSite
import TollgateStore
import TollgateTestSupport

/// The site's DORA page says what the report is as of, which recovery figure the year grades,
/// and grades no failure rate for a model whose incidents are not recorded (issue #17).
@Suite("DORA page")
struct DoraPageTests {
    static func t(_ text: String) -> Instant { Instant(rfc3339: text)! }

    func page(reportYear: Int, tracking: Bool) throws -> String {
        let scratch = try ScratchDirectory()
        let history = try SQLHistory.open(try HistoryLocation(scratch.path("h.sqlite")))
        defer { history.close() }
        let now = Self.t("2026-07-01T00:00:00Z")
        try history.record(.deployment(Deployment(id: "d1", model: "m", version: "1", at: Self.t("2026-06-01T10:00:00Z"), recordedAt: now)), now: now)
        try history.record(.deployment(Deployment(id: "d2", model: "m", version: "2", at: Self.t("2026-06-08T10:00:00Z"), recordedAt: now)), now: now)
        if tracking {
            try history.record(.incidentTracking(IncidentTracking(id: "t1", model: "m", at: Self.t("2026-05-01T00:00:00Z"), recordedAt: now)), now: now)
        }
        var builder = SiteBuilder(
            history: history, templates: try SiteTemplates(defaults: try #require(SiteTemplates.defaultDirectory())), output: scratch.path("site"),
            registry: nil)
        builder.reportYear = reportYear
        _ = try builder.build()
        return try String(contentsOfFile: scratch.path("site/dora.html"), encoding: .utf8)
    }

    @Test("without incident tracking the failure rate has no level; the page says as of when")
    func untracked() throws {
        let html = try page(reportYear: 2023, tracking: false)
        // The newest event is d2 (06-08 10:00); the site's window ends just after it.
        #expect(html.contains("As of 2026-06-08T10:00:00.001Z"), "\(html)")
        #expect(html.contains("no incidents recorded for this model"))
        // `{{value}}` writes ASCII punctuation as character references.
        #expect(html.contains("<td>N/A &#40;incidents not tracked&#41;</td>"))
        #expect(!html.contains(">elite<"))
        #expect(html.contains("<th>failed deployment recovery time (median)</th>"))
    }

    @Test("with tracking declared the failure rate is graded; under 2021 the weekly table shows time to restore service")
    func tracked2021() throws {
        let html = try page(reportYear: 2021, tracking: true)
        #expect(!html.contains("no incidents recorded for this model"))
        #expect(html.contains("<td>change failure rate</td><td>0.0&#37; &#40;0 of 2&#41;</td><td>elite</td>"), "\(html)")
        #expect(html.contains("<th>time to restore service (median)</th>"))
    }

    /// Issue #10: a 30-second lead time read "0 min" on the site and "30 s" in `tollgate dora`.
    @Test("a span reads the same on the index, the DORA page, its weekly table and in `tollgate dora`")
    func oneDurationRule() throws {
        let scratch = try ScratchDirectory()
        let history = try SQLHistory.open(try HistoryLocation(scratch.path("h.sqlite")))
        defer { history.close() }
        let now = Self.t("2026-07-01T00:00:00Z")
        try history.record(
            .deployment(
                Deployment(
                    id: "d1", model: "m", version: "1", at: Self.t("2026-06-01T10:00:00Z"), commit: "c1", committedAt: Self.t("2026-06-01T09:59:30Z"),
                    recordedAt: now)), now: now)
        let builder = SiteBuilder(
            history: history, templates: try SiteTemplates(defaults: try #require(SiteTemplates.defaultDirectory())), output: scratch.path("site"),
            registry: nil)
        _ = try builder.build()
        let dora = try String(contentsOfFile: scratch.path("site/dora.html"), encoding: .utf8)
        let index = try String(contentsOfFile: scratch.path("site/index.html"), encoding: .utf8)
        #expect(dora.contains("<td>change lead time</td><td>median 30 s&#44; p90 30 s &#40;n&#61;1&#41;</td>"), "\(dora)")
        #expect(dora.contains("<tr><td>2026-06-01</td><td>1</td><td>30 s</td>"), "\(dora)")
        #expect(index.contains("<span class=\"tile-value\">30 s</span>"), "\(index)")
        #expect(!dora.contains("0 min") && !index.contains("0 min"))
        let end = Instant(milliseconds: Self.t("2026-06-01T10:00:00Z").milliseconds + 1)
        let report = DoraCalculator(window: DoraWindow(end: end, days: 90), benchmark: .y2023).reports(try history.doraFacts(model: nil, until: end))[0]
        #expect(try DoraFormat.table.render([report]).contains("median 30 s, p90 30 s (n=1)"))
    }
}
