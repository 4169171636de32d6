import ArgumentParser
import Foundation
import TollgateCore
import TollgateSite
import TollgateStore

/// `tollgate site`: the static HTML report, built from the history.
struct Site: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the static report site from the history.",
        discussion:
            "Rebuilding after new runs renders only what changed; the same history and templates give the same bytes (times come from the history, or SOURCE_DATE_EPOCH)."
    )

    @OptionGroup var store: HistoryOptions

    @Option(name: [.short, .long], help: "A gate config: its registry supplies the model cards, and the default history sits beside it.")
    var config: String = "tollgate.yml"

    @Option(help: ArgumentHelp("The folder to write the site into.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("A folder of templates overriding any of site-templates/default.", valueName: "dir"))
    var templates: String?

    func run() throws {
        // Templates first: a broken template is reported before the history is opened or created.
        let loaded = try SiteEnvironment.templates(overriddenBy: templates)
        var registry: (any Registry)?
        if FileManager.default.fileExists(atPath: config) {
            let gate = try GateConfig.load(path: config)
            registry = gate.registry()
        }
        let history = try store.open(besideConfig: config)
        defer { history.close() }
        let result = try SiteEnvironment.builder(history: history, templates: loaded, registry: registry, output: out).build()
        print("site: \(result.pages) files in \(out) (\(result.written) written, \(result.skipped) unchanged run files skipped)")
    }
}

/// What the site build takes from the environment, read here so the site library reads none:
/// the default templates (`TOLLGATE_TEMPLATES`) and the time the site is as of (`SOURCE_DATE_EPOCH`).
/// Shared by `site` and `run --site`.
enum SiteEnvironment {
    static func templates(overriddenBy overrides: String?) throws(TollgateError) -> SiteTemplates {
        guard let defaults = SiteTemplates.defaultDirectory(preferring: ProcessInfo.processInfo.environment["TOLLGATE_TEMPLATES"]) else {
            throw TollgateError(
                .config, at: SourceLocation(file: "site-templates/default"), "cannot find the default templates; set TOLLGATE_TEMPLATES to the folder")
        }
        return try SiteTemplates(defaults: defaults, overrides: overrides)
    }

    /// `SOURCE_DATE_EPOCH` in seconds, as reproducible builds set it; anything else is ignored.
    static var epoch: Instant? {
        ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) }.map { Instant(milliseconds: $0 * 1000) }
    }

    /// A builder over a history the command has open (and closes) and the registry it resolved.
    static func builder(history: SQLHistory, templates: SiteTemplates, registry: (any Registry)?, output: String) -> SiteBuilder {
        var builder = SiteBuilder(history: history, templates: templates, output: output, registry: registry)
        builder.epoch = epoch
        return builder
    }
}
