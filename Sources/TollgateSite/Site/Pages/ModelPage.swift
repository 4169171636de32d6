import TollgateCore
import TollgateStore

/// A model's pages: its trends (page 1 only) and its runs, `RunPages.perPage` to a page.
extension SiteContent {
    /// Trend charts per model: the first few checked metrics, so page 1 stays bounded too.
    static let trendMetrics = 4

    func modelContext(_ model: String, page: Int, of paging: RunPages) -> [String: Any] {
        let modelRuns = runs[model] ?? []
        let root = paging.root(page)
        let runRows: [[String: Any]] = paging.runIndices(page).map { i in
            let run = modelRuns[i]
            return [
                "at": run.at.rfc3339, "href": root + Self.runPath(run.id), "decision": run.decision.rawValue,
                "decisionClass": "decision-" + run.decision.rawValue, "champion": run.champion,
                "candidates": run.candidates.map(\.version).joined(separator: ", "),
            ]
        }
        let production = (deployments[model] ?? []).filter(\.isProduction).reversed().map { d -> [String: String] in
            ["at": d.at.rfc3339, "version": d.version, "type": d.type.rawValue, "commit": d.commit.map { String($0.prefix(12)) } ?? "–"]
        }
        let cardRows = (cards[model] ?? []).map { ["version": $0.version, "href": root + Self.cardPath(model, $0.version)] }
        let first = page == 1
        let shownFrom = paging.runIndices(page).last.map { modelRuns[$0].at.rfc3339 } ?? ""
        let shownTo = paging.runIndices(page).first.map { modelRuns[$0].at.rfc3339 } ?? ""
        return [
            "name": model, "root": root, "first": first, "runs": runRows, "hasRuns": !runRows.isEmpty,
            "trends": first ? trends(model) : [], "deployments": first ? Array(production.prefix(50)) : [],
            "hasDeployments": first && !production.isEmpty, "noDeployments": first && production.isEmpty,
            "cards": first ? cardRows : [], "hasCards": first && !cardRows.isEmpty,
            "page": String(page), "pageCount": String(paging.count), "paged": paging.count > 1, "pages": paging.links(from: page),
            "hasNewer": page > 1, "newerHref": page > 1 ? root + paging.path(page - 1) : "",
            "hasOlder": page < paging.count, "olderHref": page < paging.count ? root + paging.path(page + 1) : "",
            "runCount": String(modelRuns.count), "shownFrom": shownFrom, "shownTo": shownTo,
        ]
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

    func trends(_ model: String) -> [[String: Any]] {
        let modelRuns = runs[model] ?? []
        // Thresholds as the latest run's checks state them (one report decoded per model).
        var thresholds: [String: Double] = [:]
        if let latest = modelRuns.last, let record = try? history.run(id: latest.id) {
            for c in record.report.candidates {
                for check in c.checks ?? [] where thresholds[check.metric] == nil { thresholds[check.metric] = check.threshold }
            }
        }
        return trendMetricNames(model).prefix(Self.trendMetrics).compactMap { metric in
            let candidates = modelRuns.flatMap { run in
                run.candidates.compactMap { c in c.metrics[metric].map { TrendSummary.Point(at: run.at.milliseconds, version: "v" + c.version, value: $0) } }
            }
            let champion = modelRuns.compactMap { run in run.championMetrics[metric].map { TrendSummary.Point(at: run.at.milliseconds, version: "v" + run.champion, value: $0) } }
            let summary = TrendSummary(candidates: candidates, champion: champion)
            var trend = TrendChart(metric: metric, summary: summary, threshold: thresholds[metric])
            let wide = trend.svg
            guard !wide.isEmpty else { return nil }
            trend.width = TrendChart.phoneWidth
            let chart = "<div class=\"trend-wide\">\(wide)</div><div class=\"trend-narrow\">\(trend.svg)</div>"
            let span = "\(candidates.count) candidate values from \(modelRuns.count) runs, \(modelRuns.first!.at.rfc3339.prefix(10)) to \(modelRuns.last!.at.rfc3339.prefix(10))"
            let how = summary.summarised ? "; summarised per \(summary.weeksPerBand == 1 ? "ISO week" : "\(summary.weeksPerBand) ISO weeks")" : ""
            return ["metric": metric, "caption": span + how, "chart": RawHTML(chart)]
        }
    }
}
