import TollgateCore
import TollgateStore

/// The index (`index.md`): every model's state at a glance, the ones that need a reviewer first,
/// grouped with counts. It shows at most `SiteContent.indexCards` models in full (champion,
/// latest decision, a sparkline of the main metric, DORA tiles) so its size does not grow with
/// the number of models; the rest are counted and reached through the all-models pages.
struct IndexPage: PageValues {
    static let template = "index"

    /// A group of models by state: needs attention, passing, no runs yet.
    struct Group: TemplateValues {
        var name: String
        var count: String
        /// `1 failing, 2 flaky` for the group that needs attention.
        var breakdown: String
        var hasBreakdown: Bool
        var models: [ModelSummary]
        var more: String
        var hasMore: Bool
    }

    /// A model in full: state, champion, latest decision, sparkline, DORA tiles.
    struct ModelSummary: TemplateValues {
        var name: String
        var href: String
        var state: String
        var stateClass: String
        var champion: String
        var decision: String
        var decisionClass: String
        var latestHref: String
        var hasLatest: Bool
        var latestAt: String
        var runs: String
        var sparkline: RawHTML
        var metric: String
        var tiles: [DoraTile]
    }

    /// One DORA figure of a model, with its level.
    struct DoraTile: TemplateValues {
        var name: String
        var value: String
        var level: String
    }

    var groups: [Group]
    /// Every model shown in full, in the groups' order (for templates that list them flat).
    var models: [ModelSummary]
    var hasModels: Bool
    var modelCount: String
    var allHref: String
}

extension SiteContent {
    static let indexCards = 30
    static let sparklineRuns = 30

    /// Models in the index's order: by state (failing, inconclusive, flaky, passing, no runs),
    /// then by name.
    func modelsByState() -> [(model: String, state: ModelState)] {
        models.map { ($0, ModelState(runs[$0] ?? [])) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    func indexPage() -> IndexPage {
        let ordered = modelsByState()
        var shown = 0
        var groups: [IndexPage.Group] = []
        for (name, member) in [
            ("Needs attention", { (s: ModelState) in s.needsAttention }), ("Passing", { $0 == .passing }), ("No runs yet", { $0 == .noRuns })
        ] {
            let inGroup = ordered.filter { member($0.state) }
            guard !inGroup.isEmpty else { continue }
            let cards = inGroup.prefix(max(0, Self.indexCards - shown)).map { modelSummary($0.model, $0.state, root: "") }
            shown += cards.count
            var counts: [String] = []
            for state in [ModelState.failing, .inconclusive, .flaky] where name == "Needs attention" {
                let n = inGroup.filter { $0.state == state }.count
                if n > 0 { counts.append("\(n) \(state.label)") }
            }
            groups.append(
                .init(
                    name: name, count: String(inGroup.count), breakdown: counts.joined(separator: ", "), hasBreakdown: !counts.isEmpty,
                    models: Array(cards), more: String(inGroup.count - cards.count), hasMore: cards.count < inGroup.count))
        }
        return IndexPage(
            groups: groups, models: groups.flatMap(\.models), hasModels: !ordered.isEmpty,
            modelCount: ordered.count == 1 ? "1 model" : "\(ordered.count) models", allHref: ModelListing(count: ordered.count).path(1))
    }

    func modelSummary(_ model: String, _ state: ModelState, root: String) -> IndexPage.ModelSummary {
        let modelRuns = runs[model] ?? []
        let latest = modelRuns.last
        let production = deployments[model]?.filter(\.isProduction).last
        let metric = trendMetricNames(model).first
        // The main metric: the first a check names, as the first candidate of each recent run has it.
        let recent = metric.map { m in modelRuns.suffix(Self.sparklineRuns).compactMap { $0.candidates.first?.metrics[m] } } ?? []
        return .init(
            name: model, href: root + Self.modelPath(model), state: state.label, stateClass: state.cssClass,
            champion: production?.version ?? latest?.champion ?? Formatting.missing,
            decision: latest.map { $0.decision.rawValue } ?? "no runs",
            decisionClass: latest.map { "decision-" + $0.decision.rawValue } ?? "decision-none",
            latestHref: latest.map { root + Self.runPath($0.id) } ?? "",
            hasLatest: latest != nil, latestAt: latest?.at.rfc3339 ?? "", runs: String(modelRuns.count),
            sparkline: RawHTML(metric.map { Sparkline.svg(metric: $0, recent) } ?? ""), metric: metric ?? "",
            tiles: dora[model].map(Self.tiles) ?? [])
    }

    static func tiles(_ d: DoraReport) -> [IndexPage.DoraTile] {
        [
            .init(
                name: "Deployment frequency", value: d.deploymentFrequency.perDay.map { Formatting.fixed($0, places: 2) + "/day" } ?? Formatting.notAvailable,
                level: d.deploymentFrequency.level?.rawValue ?? Formatting.notAvailable),
            .init(
                name: "Lead time (median)", value: Formatting.duration(d.changeLeadTime.median),
                level: d.changeLeadTime.level?.rawValue ?? Formatting.notAvailable),
            .init(
                name: "Change failure rate", value: Formatting.percent(d.changeFailureRate.value),
                level: d.changeFailureRate.level?.rawValue ?? Formatting.notAvailable),
            .init(
                name: "Recovery time (median)", value: Formatting.duration(d.gradedRecovery.figure.median),
                level: d.gradedRecovery.figure.level?.rawValue ?? Formatting.notAvailable)
        ]
    }
}
