import TollgateCore
import TollgateStore

/// One page of a model (`model.md`): its trends, deployments and cards (page 1 only) and its
/// runs, `RunPages.perPage` to a page.
struct ModelPage: PageValues {
    static let template = "model"

    struct RunRow: TemplateValues {
        var at: String
        var href: String
        var decision: String
        var decisionClass: String
        var champion: String
        var candidates: String
    }

    /// A metric's trend chart, drawn twice (wide and narrow) for the stylesheet to pick.
    struct Trend: TemplateValues {
        var metric: String
        var caption: String
        var chart: RawHTML
    }

    struct DeploymentRow: TemplateValues {
        var at: String
        var version: String
        var type: String
        var commit: String
    }

    struct CardLink: TemplateValues {
        var version: String
        var href: String
    }

    struct CanaryRow: TemplateValues {
        var started: String
        var href: String
        var verdict: String
        var verdictClass: String
        var looks: String
        var arms: String
    }

    /// A link to another page of the model's runs.
    struct PageLink: TemplateValues {
        var number: String
        var href: String
        var current: Bool
    }

    var name: String
    /// The way back to the site's root, for links the template writes itself.
    var root: String
    /// Page 1, which alone shows trends, deployments and cards.
    var first: Bool
    var runs: [RunRow]
    var hasRuns: Bool
    var trends: [Trend]
    var deployments: [DeploymentRow]
    var hasDeployments: Bool
    var noDeployments: Bool
    var cards: [CardLink]
    var hasCards: Bool
    /// Canary analyses, newest first (page 1 only).
    var canaries: [CanaryRow]
    var hasCanaries: Bool
    var page: String
    var pageCount: String
    var paged: Bool
    var pages: [PageLink]
    var hasNewer: Bool
    var newerHref: String
    var hasOlder: Bool
    var olderHref: String
    var runCount: String
    var shownFrom: String
    var shownTo: String
}

extension SiteContent {
    /// Trend charts per model: the first few checked metrics, so page 1 stays bounded too.
    static let trendMetrics = 4
    /// Production deployments listed on a model's page, newest first.
    static let deploymentRows = 50

    func modelPage(_ model: String, page: Int, of paging: RunPages) throws(TollgateError) -> ModelPage {
        let modelRuns = runs[model] ?? []
        let root = paging.root(page)
        let runRows = paging.runIndices(page).map { i in
            let run = modelRuns[i]
            return ModelPage.RunRow(
                at: run.at.rfc3339, href: root + Self.runPath(run.id), decision: run.decision.rawValue,
                decisionClass: "decision-" + run.decision.rawValue, champion: run.champion,
                candidates: run.candidates.map(\.version).joined(separator: ", "))
        }
        let production = (deployments[model] ?? []).filter(\.isProduction).reversed().map { d in
            ModelPage.DeploymentRow(
                at: d.at.rfc3339, version: d.version, type: d.type.rawValue, commit: d.commit.map { String($0.prefix(12)) } ?? Formatting.missing)
        }
        let cardRows = (cards[model] ?? []).map { ModelPage.CardLink(version: $0.version, href: root + Self.cardPath(model, $0.version)) }
        let first = page == 1
        let canaryRows = (canaries[model] ?? []).reversed().map { a in
            ModelPage.CanaryRow(
                started: a.looks[0].at.rfc3339, href: root + Self.canaryPath(a.id), verdict: a.latest.verdict,
                verdictClass: "decision-" + CanaryPage.outcomeClass(a.latest.verdict), looks: String(a.looks.count),
                arms: "\(a.latest.baseline ?? Formatting.missing) → \(a.latest.canary ?? Formatting.missing)")
        }
        let trendCharts = try first ? trends(model) : []
        return ModelPage(
            name: model, root: root, first: first, runs: runRows, hasRuns: !runRows.isEmpty,
            trends: trendCharts, deployments: first ? Array(production.prefix(Self.deploymentRows)) : [],
            hasDeployments: first && !production.isEmpty, noDeployments: first && production.isEmpty,
            cards: first ? cardRows : [], hasCards: first && !cardRows.isEmpty,
            canaries: first ? canaryRows : [], hasCanaries: first && !canaryRows.isEmpty,
            page: String(page), pageCount: String(paging.count), paged: paging.count > 1, pages: paging.links(from: page),
            hasNewer: page > 1, newerHref: page > 1 ? root + paging.path(page - 1) : "",
            hasOlder: page < paging.count, olderHref: page < paging.count ? root + paging.path(page + 1) : "",
            runCount: String(modelRuns.count),
            shownFrom: paging.runIndices(page).last.map { modelRuns[$0].at.rfc3339 } ?? "",
            shownTo: paging.runIndices(page).first.map { modelRuns[$0].at.rfc3339 } ?? "")
    }

    /// The metrics the model's checks name (unsliced), in the order its runs first name them.
    func trendMetricNames(_ model: String) -> [String] {
        var metrics: [String] = []
        for run in runs[model] ?? [] {
            for c in run.candidates {
                for metric in c.metrics.keys.sorted() where !metric.contains("[") && !metrics.contains(metric) { metrics.append(metric) }
            }
        }
        return metrics
    }

    func trends(_ model: String) throws(TollgateError) -> [ModelPage.Trend] {
        let modelRuns = runs[model] ?? []
        // Thresholds as the latest run's checks state them (one report decoded per model).
        var thresholds: [String: Double] = [:]
        if let latest = modelRuns.last {
            for c in try Self.record(latest.id, in: history).report.candidates {
                for check in c.checks ?? [] where thresholds[check.metric] == nil { thresholds[check.metric] = check.threshold }
            }
        }
        return trendMetricNames(model).prefix(Self.trendMetrics).compactMap { metric in
            let candidates = modelRuns.flatMap { run in
                run.candidates.compactMap { c in c.metrics[metric].map { TrendSummary.Point(at: run.at.milliseconds, version: "v" + c.version, value: $0) } }
            }
            let champion = modelRuns.compactMap { run in
                run.championMetrics[metric].map { TrendSummary.Point(at: run.at.milliseconds, version: "v" + run.champion, value: $0) }
            }
            let summary = TrendSummary(candidates: candidates, champion: champion)
            var trend = TrendChart(metric: metric, summary: summary, threshold: thresholds[metric])
            let wide = trend.svg
            guard !wide.isEmpty else { return nil }
            trend.width = TrendChart.phoneWidth
            let chart = "<div class=\"trend-wide\">\(wide)</div><div class=\"trend-narrow\">\(trend.svg)</div>"
            let span =
                "\(candidates.count) candidate values from \(modelRuns.count) runs, "
                + "\(Formatting.day(modelRuns.first!.at.rfc3339)) to \(Formatting.day(modelRuns.last!.at.rfc3339))"
            let how = summary.summarised ? "; summarised per \(summary.weeksPerBand == 1 ? "ISO week" : "\(summary.weeksPerBand) ISO weeks")" : ""
            return ModelPage.Trend(metric: metric, caption: span + how, chart: RawHTML(chart))
        }
    }
}
