import ArgumentParser
import Foundation
import TollgateCore
import TollgateSite
import TollgateStore

/// `tollgate site`: the static HTML report, built from the history.
struct Site: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the static report site from the history.",
        discussion: "Rebuilding after new runs renders only what changed; the same history and templates give the same bytes (times come from the history, or SOURCE_DATE_EPOCH).")

    @OptionGroup var store: HistoryOptions

    @Option(name: [.short, .long], help: "A gate config: its registry supplies the model cards, and the default history sits beside it.")
    var config: String = "tollgate.yml"

    @Option(help: ArgumentHelp("The folder to write the site into.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("A folder of templates overriding any of site-templates/default.", valueName: "dir"))
    var templates: String?

    func run() throws {
        let result = try SiteBuild(store: store, config: config, templates: templates).build(into: out)
        print("site: \(result.pages) files in \(out) (\(result.written) written, \(result.skipped) unchanged run files skipped)")
    }
}

/// Building the site, shared by `site` and `run --site`.
struct SiteBuild {
    var store: HistoryOptions
    var config: String
    var templates: String?

    func build(into out: String) throws(TollgateError) -> SiteBuilder.Result {
        guard let defaults = SiteTemplates.defaultDirectory() else {
            throw TollgateError(.config, at: SourceLocation(file: "site-templates/default"), "cannot find the default templates; set TOLLGATE_TEMPLATES to the folder")
        }
        let loaded = try SiteTemplates(defaults: defaults, overrides: templates)
        var registry: DirectoryRegistry?
        if FileManager.default.fileExists(atPath: config) {
            let gate = try GateConfig.load(path: config)
            registry = DirectoryRegistry(root: gate.registryPath, location: gate.registryLocation)
        }
        let history = try store.open(besideConfig: config)
        defer { history.close() }
        return try SiteBuilder(history: history, templates: loaded, output: out, registry: registry).build()
    }
}
