import ArgumentParser
import TollgateCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config, its checks and its registry references without evaluating.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let resolved = try ResolvedVersions.resolve(config, in: config.registry())
        resolved.folded.forEach(Console.note)
        print("\(options.config): valid")
        print(
            "  model \(config.model), champion \(resolved.champion.version), candidates \(resolved.candidates.map(\.version.version).joined(separator: ", "))")
        print("  dataset \(config.dataset.displayPath) (\(config.dataset.task.rawValue))")
        for check in config.checks {
            print("  \(check.suite): \(check.source)\(check.severity == .warn ? "" : "")")
        }
    }
}
