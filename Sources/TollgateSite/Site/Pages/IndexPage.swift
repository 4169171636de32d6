import TollgateCore
import TollgateStore

/// The index: every model's state at a glance, the ones that need a reviewer first, grouped with
/// counts. It shows at most `indexCards` models in full (champion, latest decision, a sparkline
/// of the main metric, DORA tiles) so its size does not grow with the number of models; the rest
/// are counted and reached through the all-models pages.
extension SiteContent {
    static let indexCards = 30
    static let sparklineRuns = 30

    /// Models in the index's order: by state (failing, inconclusive, flaky, passing, no runs),
    /// then by name.
    func modelsByState() -> [(model: String, state: ModelState)] {
        models.map { ($0, ModelState(runs[$0] ?? [])) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    func modelCard(_ model: String, _ state: ModelState, root: String) -> [String: Any] {
        let modelRuns = runs[model] ?? []
        let latest = modelRuns.last
        let production = deployments[model]?.filter(\.isProduction).last
        let metric = trendMetricNames(model).first
        // The main metric: the first a check names, as the first candidate of each recent run has it.
        let recent = metric.map { m in modelRuns.suffix(Self.sparklineRuns).compactMap { $0.candidates.first?.metrics[m] } } ?? []
        return [
            "name": model, "href": root + Self.modelPath(model), "state": state.label, "stateClass": "state-" + state.label.replacingOccurrences(of: " ", with: "-"),
            "champion": production?.version ?? latest?.champion ?? "–",
            "decision": latest.map { $0.decision.rawValue } ?? "no runs",
            "decisionClass": latest.map { "decision-" + $0.decision.rawValue } ?? "decision-none",
            "latestHref": latest.map { root + Self.runPath($0.id) } ?? "",
            "hasLatest": latest != nil, "latestAt": latest?.at.rfc3339 ?? "", "runs": String(modelRuns.count),
            "sparkline": RawHTML(metric.map { Sparkline.svg(metric: $0, recent) } ?? ""), "metric": metric ?? "",
            "tiles": dora[model].map(Self.tiles) ?? [],
        ]
    }

    func indexContext() -> [String: Any] {
        let ordered = modelsByState()
        var shown = 0
        var groups: [[String: Any]] = []
        for (name, member) in [("Needs attention", { (s: ModelState) in s.needsAttention }), ("Passing", { $0 == .passing }), ("No runs yet", { $0 == .noRuns })] {
            let inGroup = ordered.filter { member($0.state) }
            guard !inGroup.isEmpty else { continue }
            let cards = inGroup.prefix(max(0, Self.indexCards - shown)).map { modelCard($0.model, $0.state, root: "") }
            shown += cards.count
            var counts: [String] = []
            for state in [ModelState.failing, .inconclusive, .flaky] where name == "Needs attention" {
                let n = inGroup.filter { $0.state == state }.count
                if n > 0 { counts.append("\(n) \(state.label)") }
            }
            groups.append([
                "name": name, "count": String(inGroup.count), "breakdown": counts.joined(separator: ", "), "hasBreakdown": !counts.isEmpty,
                "models": cards, "more": String(inGroup.count - cards.count), "hasMore": cards.count < inGroup.count,
            ])
        }
        let all = groups.flatMap { $0["models"] as? [[String: Any]] ?? [] }
        return ["groups": groups, "models": all, "hasModels": !ordered.isEmpty, "modelCount": ordered.count == 1 ? "1 model" : "\(ordered.count) models", "allHref": ModelListing(count: ordered.count).path(1)]
    }

    func allModelsContext(page: Int, of listing: ModelListing) -> [String: Any] {
        let ordered = modelsByState()
        let rows: [[String: Any]] = ordered[listing.range(page, of: ordered.count)].map { entry in
            let latest = runs[entry.model]?.last
            return [
                "name": entry.model, "href": Self.modelPath(entry.model), "state": entry.state.label,
                "stateClass": "state-" + entry.state.label.replacingOccurrences(of: " ", with: "-"),
                "champion": deployments[entry.model]?.filter(\.isProduction).last?.version ?? latest?.champion ?? "–",
                "decision": latest.map { $0.decision.rawValue } ?? "no runs", "runs": String(runs[entry.model]?.count ?? 0),
            ]
        }
        return [
            "models": rows, "hasModels": !rows.isEmpty, "modelCount": String(ordered.count), "page": String(page), "pageCount": String(listing.count),
            "paged": listing.count > 1, "hasNewer": page > 1, "newerHref": page > 1 ? listing.path(page - 1) : "", "hasOlder": page < listing.count,
            "olderHref": page < listing.count ? listing.path(page + 1) : "",
        ]
    }
}
