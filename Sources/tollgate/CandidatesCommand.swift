import ArgumentParser
import Foundation
import TollgateCore

struct Candidates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which versions the champion and candidate references resolve to.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let config = try options.load()
        let resolved = try ResolvedVersions.resolve(config, in: config.registry())
        let rows = [("champion", config.champion, resolved.champion)] + resolved.candidates.map { ("candidate", $0.reference, $0.version) }
        if json {
            let items: [[String: Any]] = rows.map { role, reference, version in
                [
                    "role": role, "reference": reference.description, "version": version.version,
                    "aliases": version.aliases, "created_at": version.createdAt ?? NSNull(),
                    "source_commit": version.sourceCommit ?? NSNull(), "tags": version.tags,
                    "artifact": version.artifact?.path ?? NSNull(), "model_card": version.modelCard ?? NSNull()
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: ["model": config.model, "versions": items], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(config.model) in \(config.registryPath)")
        if let description = resolved.model.description { print("  \(description)") }
        if !resolved.model.owners.isEmpty { print("  owners: \(resolved.model.owners.joined(separator: ", "))") }
        for (role, reference, version) in rows {
            print("\n\(role) \(reference) → version \(version.version)")
            if !version.aliases.isEmpty { print("  aliases:    \(version.aliases.map { "@\($0)" }.joined(separator: ", "))") }
            if let created = version.createdAt { print("  created:    \(created)") }
            if let commit = version.sourceCommit {
                print("  commit:     \(commit)\(version.sourceCommittedAt.map { " (\($0))" } ?? "")")
            }
            if !version.tags.isEmpty {
                print("  tags:       \(version.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
            }
            if case .predictions(let path, _) = version.scorer { print("  scorer:     predictions \(path)") }
            if let artifact = version.artifact { print("  artifact:   \(artifact.path)\(artifact.sha256.map { " sha256 \($0.prefix(12))…" } ?? "")") }
            print("  model card: \(version.modelCard ?? "none")")
        }
    }
}
