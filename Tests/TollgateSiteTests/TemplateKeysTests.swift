import Foundation
import Testing
import TollgateCore

@testable import TollgateSite

/// Every tag of every default template names a key its page type supplies: swift-mustache
/// renders a missing key as nothing, so a misspelt tag would otherwise vanish from the page
/// without a sound. The page types are the specification; these examples fill every list, so
/// each section's rows are checked too.
@Suite("Template keys")
struct TemplateKeysTests {
    static let html = RawHTML("<svg></svg>")

    static let summary = IndexPage.ModelSummary(
        name: "m", href: "models/m.html", state: "failing", stateClass: "state-failing", champion: "3", decision: "fail", decisionClass: "decision-fail",
        latestHref: "runs/r.html", hasLatest: true, latestAt: "2026-06-08T10:00:00Z", runs: "2", sparkline: html, metric: "roc_auc",
        tiles: [.init(name: "Lead time (median)", value: "30 s", level: "elite")])

    static var pages: [any PageValues] {
        [
            IndexPage(
                groups: [.init(name: "Needs attention", count: "1", breakdown: "1 failing", hasBreakdown: true, models: [summary], more: "0", hasMore: false)],
                models: [summary], hasModels: true, modelCount: "1 model", allHref: "all-models.html"),
            AllModelsPage(
                models: [.init(name: "m", href: "models/m.html", state: "passing", stateClass: "state-passing", champion: "3", decision: "pass", runs: "2")],
                hasModels: true, modelCount: "1", page: "1", pageCount: "2", paged: true, hasNewer: true, newerHref: "all-models.html", hasOlder: true,
                olderHref: "all-models-2.html"),
            ModelPage(
                name: "m", root: "../", first: true,
                runs: [
                    .init(at: "2026-06-08T10:00:00Z", href: "../runs/r.html", decision: "pass", decisionClass: "decision-pass", champion: "3", candidates: "4")
                ],
                hasRuns: true, trends: [.init(metric: "roc_auc", caption: "2 candidate values", chart: html)],
                deployments: [.init(at: "2026-06-08T10:00:00Z", version: "3", type: "planned", commit: "abc")], hasDeployments: true, noDeployments: false,
                cards: [.init(version: "3", href: "../cards/m/3.html")], hasCards: true,
                canaries: [
                    .init(
                        started: "2026-06-08T10:00:00Z", href: "../canary/a.html", verdict: "pass", verdictClass: "decision-pass", looks: "3",
                        arms: "@champion → @challenger")
                ],
                hasCanaries: true, page: "1", pageCount: "2", paged: true,
                pages: [.init(number: "1", href: "../models/m.html", current: true)], hasNewer: false, newerHref: "", hasOlder: true,
                olderHref: "../models/m/page-2.html", runCount: "150", shownFrom: "2026-01-01T00:00:00Z", shownTo: "2026-06-08T10:00:00Z"),
            RunPage(
                model: "m", modelHref: "../models/m.html", at: "2026-06-08T10:00:00Z", decision: "fail", decisionClass: "decision-fail", exitCode: "1",
                champion: "3", dataset: "eval.csv", datasetSha: "0123456789ab", rows: "1000", commit: "abc", tool: "tollgate 0.1.0", duration: "1.25 s",
                candidates: [
                    .init(
                        version: "4", reference: "@challenger", decision: "fail", decisionClass: "decision-fail",
                        checks: [
                            .init(
                                outcome: "fail", outcomeClass: "outcome-fail", suite: "accuracy", expression: "roc_auc >= 0.9", value: "0.8",
                                champion: "0.85", threshold: "0.9", message: "roc_auc = 0.8, expected >= 0.9", id: "check-4-accuracy")
                        ],
                        figures: [.init(title: "ROC curve", chart: html)], hasFigures: true,
                        diff: [.init(metric: "roc_auc", champion: "0.85", candidate: "0.8", delta: "-0.05")], anchor: "candidate-4")
                ],
                scoring: [.init(version: "4", summary: "http mlflow http://127.0.0.1:5000/invocations: 1000 rows, 16 requests, 0 retries, 0.5 s")],
                hasScoring: true, jsonHref: "r.json", previousHref: "p.html", hasPrevious: true, nextHref: "n.html", hasNext: true),
            DoraPage(
                models: [
                    .init(
                        model: "m", heading: "DORA for m", asOf: "2026-06-08T10:00:00Z",
                        rows: [.init(metric: "change lead time", value: "30 s", level: "elite")],
                        chart: html, weeks: [.init(week: "2026-06-08", deployments: "2", leadTime: "30 s", failureRate: "50.0%", recovery: "1.5 h")],
                        recoveryName: "failed deployment recovery time", href: "models/m.html")
                ],
                hasModels: true),
            ModelCardPage(model: "m", version: "3", modelHref: "../../models/m.html", card: RawHTML("<p>card</p>")),
            CanaryPage(
                model: "m", modelHref: "../models/m.html", analysis: "a", verdict: "pass", verdictClass: "decision-pass", mode: "canary",
                baseline: "@champion", canary: "@challenger", started: "2026-06-08T10:00:00Z", latest: "2026-06-08T10:05:00Z", lookCount: "2",
                checks: [
                    .init(
                        expression: "error_rate <= baseline + 0.01", severity: "block", outcome: "pass", outcomeClass: "outcome-pass", counts: "800 / 800",
                        interval: "[-0.01, 0.005]", margin: "0.01", reason: "inside", chart: html, hasChart: true)
                ],
                looks: [
                    .init(look: "1", at: "2026-06-08T10:00:00Z", verdict: "continue", baseline: "400", canary: "400", baselineTotal: "400", canaryTotal: "400")
                ])
        ]
    }

    static var defaults: String { SiteTemplates.defaultDirectory()! }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: (defaults as NSString).appendingPathComponent(name), encoding: .utf8)
    }

    /// The tags of `template` that name no key of the contexts open where they stand, as
    /// `name (template)`; partials are read where they are included. Sections push the first
    /// row of a list (or the nested value); a Bool section pushes nothing.
    static func unknownTags(in template: String, named name: String, stack initial: [[String: Any]]) throws -> [String] {
        var stack: [[String: Any]] = initial
        var unknown: [String] = []
        func lookup(_ key: String) -> Any? {
            for context in stack.reversed() { if let value = context[key] { return value } }
            return nil
        }
        for match in template.matches(of: /\{\{(\{?)\s*([#^\/>!&%]?)\s*([^}]*?)\s*\}?\}\}/) {
            let sigil = String(match.output.2)
            let key = String(match.output.3)
            switch sigil {
            case "!", "%": continue
            case "/": stack.removeLast()
            case ">":
                unknown += try unknownTags(in: text("partials/\(key).md"), named: "partials/\(key).md", stack: stack)
            case "#", "^":
                guard let value = lookup(key) else {
                    unknown.append("\(key) (\(name))")
                    stack.append([:])
                    continue
                }
                if sigil == "#", let rows = value as? [[String: Any]] {
                    if rows.isEmpty { unknown.append("\(key) (\(name): the example's list is empty)") }
                    stack.append(rows.first ?? [:])
                } else if sigil == "#", let nested = value as? [String: Any] {
                    stack.append(nested)
                } else {
                    stack.append([:])
                }
            default:
                if lookup(key) == nil { unknown.append("\(key) (\(name))") }
            }
        }
        return unknown
    }

    @Test("each page template has its page type")
    func everyPageHasAType() {
        #expect(Self.pages.map { type(of: $0).template }.sorted() == SiteTemplates.pageNames.sorted())
    }

    @Test("every tag of every default template names a key its page type supplies")
    func defaultTemplates() throws {
        for page in Self.pages {
            let name = type(of: page).template + ".md"
            // Every page may also say when the site is as of (`SiteTemplates.page` adds it).
            let unknown = try Self.unknownTags(in: Self.text(name), named: name, stack: [page.context.merging(["generated": ""]) { a, _ in a }])
            #expect(unknown.isEmpty, "\(name) names keys \(type(of: page)) does not supply: \(unknown)")
        }
        let frame = LayoutFrame(title: "t", root: "", body: Self.html, generated: "g").context
        #expect(try Self.unknownTags(in: Self.text("layout.html"), named: "layout.html", stack: [frame]).isEmpty)
    }

    @Test("a misspelt tag is caught, in a section's rows too")
    func misspelt() throws {
        let index = Self.pages[0].context
        #expect(try Self.unknownTags(in: "{{modelCount}} {{#groups}}{{name}}{{/groups}}", named: "t", stack: [index]).isEmpty)
        #expect(try Self.unknownTags(in: "{{modelCuont}}", named: "t", stack: [index]) == ["modelCuont (t)"])
        #expect(
            try Self.unknownTags(in: "{{#groups}}{{#models}}{{#tiles}}{{levle}}{{/tiles}}{{/models}}{{/groups}}", named: "t", stack: [index]) == ["levle (t)"])
    }

    @Test("every default template renders its page type's values, with none left out")
    func rendered() throws {
        let templates = try SiteTemplates(defaults: Self.defaults)
        for page in Self.pages {
            let html = templates.page(page, title: "T", root: "../", generated: "2026-06-08T10:00:00Z")
            #expect(html.contains("<title>T</title>") && html.contains("as of 2026-06-08T10:00:00Z"))
            #expect(!html.contains("{{") && !html.contains("<td></td>"), "\(type(of: page)): \(html)")
        }
    }

    @Test("values become contexts: stored properties by name, rows as lists, HTML as it is")
    func contexts() throws {
        let frame = LayoutFrame(title: "t", root: "../", body: Self.html, generated: "g").context
        #expect(Set(frame.keys) == ["title", "root", "body", "generated"])
        #expect(frame["root"] as? String == "../")
        #expect((frame["body"] as? RawHTML)?.html == "<svg></svg>")
        let index = Self.pages[0].context
        let groups = try #require(index["groups"] as? [[String: Any]])
        let models = try #require(groups.first?["models"] as? [[String: Any]])
        #expect(models.first?["hasLatest"] as? Bool == true)
        #expect((models.first?["tiles"] as? [[String: Any]])?.first?["value"] as? String == "30 s")
    }
}
