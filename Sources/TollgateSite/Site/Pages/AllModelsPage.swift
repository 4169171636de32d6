import TollgateCore
import TollgateStore

/// One page of the plain list of every model (`all-models.md`), `ModelListing.perPage` a page,
/// those that need attention first.
struct AllModelsPage: PageValues {
    static let template = "all-models"

    struct Row: TemplateValues {
        var name: String
        var href: String
        var state: String
        var stateClass: String
        var champion: String
        var decision: String
        var runs: String
    }

    var models: [Row]
    var hasModels: Bool
    var modelCount: String
    var page: String
    var pageCount: String
    var paged: Bool
    var hasNewer: Bool
    var newerHref: String
    var hasOlder: Bool
    var olderHref: String
}

extension SiteContent {
    func allModelsPage(_ page: Int, of listing: ModelListing) -> AllModelsPage {
        let ordered = modelsByState()
        let rows = ordered[listing.range(page, of: ordered.count)].map { entry in
            let latest = runs[entry.model]?.last
            return AllModelsPage.Row(
                name: entry.model, href: Self.modelPath(entry.model), state: entry.state.label, stateClass: entry.state.cssClass,
                champion: deployments[entry.model]?.filter(\.isProduction).last?.version ?? latest?.champion ?? Formatting.missing,
                decision: latest.map { $0.decision.rawValue } ?? "no runs", runs: String(runs[entry.model]?.count ?? 0))
        }
        return AllModelsPage(
            models: rows, hasModels: !rows.isEmpty, modelCount: String(ordered.count), page: String(page), pageCount: String(listing.count),
            paged: listing.count > 1, hasNewer: page > 1, newerHref: page > 1 ? listing.path(page - 1) : "", hasOlder: page < listing.count,
            olderHref: page < listing.count ? listing.path(page + 1) : "")
    }
}
