import Foundation
import TollgateCore
import TollgateStore

/// Builds the static site from the history, as a pipeline of named steps (Publish's shape):
/// read the history → lay out the pages → render what changed → write what differs.
///
/// Deterministic: every time on a page comes from the history, and "generated" is the newest
/// event's time (or `epoch`), so the same history and templates give the same bytes.
/// Incremental: a run page depends only on its run and the templates, so a page listed in the
/// manifest with the same templates is not rendered again; every other file is rendered and
/// written only when its bytes differ. The library reads no environment: the command line
/// passes the template folder and the epoch (`TOLLGATE_TEMPLATES`, `SOURCE_DATE_EPOCH`).
public struct SiteBuilder {
    /// An open history; the caller owns it and closes it.
    public var history: SQLHistory
    public var templates: SiteTemplates
    public var output: String
    /// The registry, for model cards; without one the site has no card pages.
    public var registry: (any Registry)?
    public var doraWindowDays = 90
    public var reportYear = 2023
    /// The time the site is as of, when given (`SOURCE_DATE_EPOCH`); otherwise the newest event's.
    public var epoch: Instant?

    public init(history: SQLHistory, templates: SiteTemplates, output: String, registry: (any Registry)?) {
        self.history = history
        self.templates = templates
        self.output = output
        self.registry = registry
    }

    public struct Result: Sendable, Equatable {
        public var pages: Int
        public var written: Int
        public var skipped: Int
        public var largestPageBytes: Int
    }

    public static let steps = ["read the history", "lay out the pages", "render and write"]

    public func build(progress: (Int, String) -> Void = { _, _ in }) throws(TollgateError) -> Result {
        progress(0, Self.steps[0])
        let content = try SiteContent.load(from: history, registry: registry, windowDays: doraWindowDays, reportYear: reportYear, epoch: epoch)
        progress(1, Self.steps[1])
        let pages = try content.pages()
        progress(2, Self.steps[2])
        return try SiteWriter(output: output, templates: templates).write(pages, generated: content.generated)
    }
}
