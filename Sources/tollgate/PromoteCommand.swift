import ArgumentParser
import Foundation
import TollgateCore
import TollgateStore

/// `tollgate promote MODEL@VERSION`: move the alias and record the deployment, together.
struct Promote: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Point an alias (champion by default) at a version and record the deployment.",
        discussion:
            "The alias moves only if it still names the version it named when read (a folder: a new model.yaml renamed over the old under a lock; MLflow: POST registered-models/alias after a fresh read); if the deployment cannot be recorded, the alias is put back."
    )

    @Argument(help: ArgumentHelp("The version to promote.", valueName: "model@version"))
    var target: String

    @Option(help: "The alias to move.")
    var alias: String = "champion"

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var store: HistoryOptions

    @Option(help: "The environment the alias serves; only production counts for DORA.")
    var environment: String = Deployment.production

    @Option(help: ArgumentHelp("When the deployment happened (RFC 3339).", valueName: "time"))
    var at: TimeArgument?

    func run() throws {
        guard let separator = target.lastIndex(of: "@"), separator != target.startIndex, target.index(after: separator) != target.endIndex else {
            throw TollgateError(.config, at: SourceLocation(file: "MODEL@VERSION"), "expected MODEL@VERSION, e.g. credit-risk@4, got '\(target)'")
        }
        let model = String(target[..<separator])
        let version = String(target[target.index(after: separator)...])
        let history = try store.open(besideConfig: registry.config)
        defer { history.close() }
        let result = try Promotion(registry: try registry.resolveRegistry(), history: history)
            .promote(model: model, version: version, alias: alias, environment: environment, at: at?.instant ?? .now())
        print("@\(alias) → \(model) version \(version)" + (result.previous.map { " (was \($0))" } ?? ""))
        print(EventText.describe(.deployment(result.deployment)))
    }
}
