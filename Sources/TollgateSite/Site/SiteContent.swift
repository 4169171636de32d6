import Foundation
import TollgateCore
import TollgateStore

/// What the site shows, read once from the history: runs by model, deployments, DORA, cards.
struct SiteContent {
    var history: SQLHistory
    var runs: [String: [RunSummary]] = [:]
    var deployments: [String: [Deployment]] = [:]
    var dora: [String: DoraReport] = [:]
    var facts = DoraFacts()
    var benchmark = DoraBenchmark.y2023
    var cards: [String: [(version: String, markdown: String)]] = [:]
    /// Canary analyses by model, oldest first.
    var canaries: [String: [CanaryAnalysisHistory]] = [:]
    var generated = ""
    var models: [String] { Array(Set(runs.keys).union(deployments.keys).union(canaries.keys)).sorted() }

    /// - Parameter epoch: the time the site is as of, when given (`SOURCE_DATE_EPOCH`);
    ///   otherwise the newest event's.
    static func load(
        from history: SQLHistory, registry: (any Registry)?, windowDays: Int, reportYear: Int, epoch: Instant? = nil
    ) throws(TollgateError) -> SiteContent {
        var content = SiteContent(history: history)
        for run in try history.runSummaries() { content.runs[run.model, default: []].append(run) }
        for d in try history.deployments() { content.deployments[d.model, default: []].append(d) }
        for a in try history.canaryAnalyses() { content.canaries[a.model, default: []].append(a) }
        var newest = Instant(milliseconds: 0)
        if let epoch {
            newest = epoch
        } else if let time = try history.newestEventTime() {
            newest = time
        }
        content.generated = newest.milliseconds == 0 ? "no history yet" : newest.rfc3339
        // DORA as of the newest event, so the page does not change while the history does not.
        let end = Instant(milliseconds: newest.milliseconds + 1)
        content.facts = try history.doraFacts(model: nil, until: end)
        content.benchmark = try DoraBenchmark.named(reportYear)
        let calculator = DoraCalculator(window: DoraWindow(end: end, days: windowDays), benchmark: content.benchmark)
        for report in calculator.reports(content.facts, models: content.models) { content.dora[report.model] = report }
        if let registry {
            for model in content.models { content.cards[model] = try ModelCards.read(model, from: registry) }
        }
        return content
    }

    // MARK: Paths (every name from the registry goes through SafeText.fileName)

    static func modelPath(_ model: String) -> String { "models/\(SafeText.fileName(model)).html" }
    static func runPath(_ id: String) -> String { "runs/\(SafeText.fileName(id)).html" }
    static func runJSONPath(_ id: String) -> String { "runs/\(SafeText.fileName(id)).json" }
    static func canaryPath(_ analysis: String) -> String { "canary/\(SafeText.fileName(analysis)).html" }
    static func cardPath(_ model: String, _ version: String) -> String { "cards/\(SafeText.fileName(model))/\(SafeText.fileName(version)).html" }

    func pages() throws(TollgateError) -> [SitePage] {
        var pages: [SitePage] = [
            SitePage(path: "index.html", title: "Tollgate", root: "", body: .page(indexPage())),
            SitePage(path: "dora.html", title: "Delivery (DORA)", root: "", body: .page(doraPage()))
        ]
        let listing = ModelListing(count: models.count)
        for page in 1...listing.count {
            pages.append(
                SitePage(
                    path: listing.path(page), title: "All models, page \(page) of \(listing.count)", root: "", body: .page(allModelsPage(page, of: listing))))
        }
        for model in models {
            let paging = RunPages(model: model, runCount: runs[model]?.count ?? 0)
            for page in 1...paging.count {
                pages.append(
                    SitePage(
                        path: paging.path(page), title: page == 1 ? model : "\(model), runs page \(page) of \(paging.count)",
                        root: paging.root(page), body: .page(try modelPage(model, page: page, of: paging))))
            }
            let modelRuns = runs[model] ?? []
            for (i, run) in modelRuns.enumerated() {
                let previous = i > 0 ? modelRuns[i - 1].id : nil
                let next = i + 1 < modelRuns.count ? modelRuns[i + 1].id : nil
                // A run's page changes only while it is the model's latest (it gains a "next" link).
                let history = self.history
                let id = run.id
                pages.append(
                    SitePage(
                        path: Self.runPath(run.id), title: "\(model) run \(run.at.rfc3339)", root: "../",
                        body: .deferred { () throws(TollgateError) in
                            .page(RunPage(try Self.record(id, in: history), previous: previous, next: next))
                        }, immutable: next != nil))
                pages.append(
                    SitePage(
                        path: Self.runJSONPath(run.id), title: "", root: "../",
                        body: .deferred { () throws(TollgateError) in .raw(try Self.json(try Self.record(id, in: history).report, run: id)) },
                        immutable: true))
            }
            for analysis in canaries[model] ?? [] {
                pages.append(
                    SitePage(
                        path: Self.canaryPath(analysis.id), title: "\(model) canary analysis \(analysis.looks[0].at.rfc3339)", root: "../",
                        body: .page(CanaryPage(analysis))))
            }
            for card in cards[model] ?? [] {
                pages.append(
                    SitePage(
                        path: Self.cardPath(model, card.version), title: "\(model) \(card.version) model card", root: "../../",
                        body: .page(ModelCardPage(model: model, version: card.version, markdown: card.markdown))))
            }
        }
        return pages
    }

    static func record(_ id: String, in history: SQLHistory) throws(TollgateError) -> RunRecord {
        guard let record = try history.run(id: id) else { throw TollgateError(.history, "run \(id) vanished from the history while the site was built") }
        return record
    }

    /// The run's report as the site publishes it; a report that cannot be encoded is an error
    /// naming the run, never an empty object.
    static func json(_ report: RunReport, run id: String) throws(TollgateError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(report)) + [0x0A]
        } catch {
            throw TollgateError(.history, "cannot encode the report of run \(id) as JSON for the site: \(error)")
        }
    }
}
