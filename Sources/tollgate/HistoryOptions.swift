import ArgumentParser
import Foundation
import TollgateCore
import TollgateStore

/// `--history`, shared by every command that reads or writes the history.
struct HistoryOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The history store: a file path or sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: .tollgate/history.sqlite beside the config).",
            valueName: "url"))
    var history: String?

    func location(besideConfig config: String) throws(TollgateError) -> HistoryLocation {
        if let history { return try HistoryLocation(history) }
        return .beside(config: config)
    }

    func open(besideConfig config: String) throws(TollgateError) -> SQLHistory {
        try SQLHistory.open(try location(besideConfig: config), credentials: ProcessEnvironment.postgresCredentials)
    }
}

/// Which registry names the models an event may mention: `--registry`, or the config's.
struct RegistryOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "A gate config whose registry and history to use.")
    var config: String = "tollgate.yml"

    @Option(help: ArgumentHelp("A directory registry or an mlflow+http(s)://HOST:PORT server (instead of the config's).", valueName: "dir|url"))
    var registry: String?

    func resolveRegistry() throws(TollgateError) -> any Registry {
        if let registry { return RegistryFactory.open(root: registry, namedAt: SourceLocation(file: "--registry")) }
        guard FileManager.default.fileExists(atPath: config) else {
            throw TollgateError(.config, at: SourceLocation(file: config), "no config here to find the registry; pass --registry DIR or --config FILE")
        }
        return try GateConfig.load(path: config).registry()
    }
}

/// Times on the command line: RFC 3339, or `now`.
struct TimeArgument: ExpressibleByArgument {
    var instant: Instant

    init?(argument: String) {
        if argument == "now" {
            instant = .now()
        } else if let parsed = Instant(rfc3339: argument) {
            instant = parsed
        } else {
            return nil
        }
    }

    static var defaultValueDescription: String { "now" }
}
