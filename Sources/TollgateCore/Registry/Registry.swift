/// Where model versions live: a folder (`DirectoryRegistry`, the embedded default) or an MLflow
/// tracking server (`MLflowRegistry`); `RegistryFactory` chooses from the config's `registry:`.
public protocol Registry: Sendable {
    func model(_ name: String) throws(TollgateError) -> RegisteredModel
    /// - Parameter location: where the version was named, for "not found" messages.
    func version(_ version: String, of model: RegisteredModel, referencedAt location: SourceLocation?) throws(TollgateError) -> ModelVersion
    /// The version `@alias` names. By default read from `model.aliases`; a server may ask afresh,
    /// so an unknown alias comes back in its own words.
    func aliasTarget(_ alias: String, of model: RegisteredModel, referencedAt location: SourceLocation?) throws(TollgateError) -> String
    /// Whether the registry holds `model` at all (the site shows cards only for models it holds);
    /// false, not an error, for a name it could never hold.
    func holds(model: String) throws(TollgateError) -> Bool
}

extension Registry {
    public func aliasTarget(_ alias: String, of model: RegisteredModel, referencedAt location: SourceLocation?) throws(TollgateError) -> String {
        guard let version = model.aliases[alias] else {
            let known = model.aliases.keys.sorted()
            let listing = known.isEmpty ? "it has no aliases" : "its aliases are: " + known.map { "@\($0)" }.joined(separator: ", ")
            throw TollgateError(
                .registry, at: location,
                "unknown alias '@\(alias)' for model '\(model.name)'\(NameSuggestion.hint(for: alias, in: known)); \(listing)")
        }
        return version
    }

    /// Resolves `@alias` or a literal version to the version's metadata.
    public func resolve(_ reference: VersionReference, of model: RegisteredModel) throws(TollgateError) -> ModelVersion {
        switch reference.kind {
        case .alias(let alias):
            let version = try aliasTarget(alias, of: model, referencedAt: reference.location)
            return try self.version(version, of: model, referencedAt: reference.location)
        case .version(let version):
            return try self.version(version, of: model, referencedAt: reference.location)
        }
    }
}

/// A registered model: its metadata and its movable aliases.
public struct RegisteredModel: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var owners: [String]
    /// alias → version, e.g. `champion → "3"`.
    public var aliases: [String: String]
    public var location: SourceLocation
    /// Every version found in the registry, oldest first.
    public var versions: [String]
}

/// One immutable version of a model, as `version.yaml` describes it.
public struct ModelVersion: Sendable, Equatable {
    public var model: String
    public var version: String
    public var directory: String
    public var createdAt: String?
    public var sourceCommit: String?
    public var sourceCommittedAt: String?
    public var tags: [String: String]
    public var scorer: ScorerSpec
    public var artifact: Artifact?
    /// The model card's path, when the file exists.
    public var modelCard: String?
    /// Aliases pointing at this version.
    public var aliases: [String]
    public var location: SourceLocation
    /// SPDX-style licence id, from `license:` (or a `license` tag).
    public var license: String? = nil
    /// Per-request latency samples (`latency: {samples: FILE}`), if the version has any.
    public var latencySamples: String? = nil
    /// Where `version.yaml` names the samples file, for errors the file cannot locate itself.
    public var latencySamplesLocation: SourceLocation? = nil
    /// Input columns the version expects, with their types (`schema: {inputs: {age: integer}}`).
    public var schema: [SchemaColumn] = []
}

/// One input column a version declares, and the kind of values it expects in it.
public struct SchemaColumn: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case number, integer, string, boolean
    }

    public var name: String
    public var kind: Kind
}

/// How a version's predictions are obtained.
public enum ScorerSpec: Sendable, Equatable {
    /// A precomputed predictions file (CSV or JSON Lines) keyed by the dataset's id column.
    case predictions(path: String, location: SourceLocation)
    /// A model behind an inference server (Open Inference Protocol v2 or `mlflow models serve`).
    case http(HTTPScorerSpec)
    /// A program that reads feature rows as CSV on stdin and writes predictions as CSV on stdout.
    case command(CommandScorerSpec)
    /// An MLflow registry's version served by `mlflow models serve`, started for its scoring
    /// (config `mlflow: {serve: true}`), then scored as `http` with protocol mlflow.
    case mlflowServe(MLflowServeSpec)

    /// The key `version.yaml` names the scorer by, for messages.
    public var kind: String {
        switch self {
        case .predictions: "predictions"
        case .http: "http"
        case .command: "command"
        case .mlflowServe: "mlflow-serve"
        }
    }
}

/// The model file a version ships, and the sha256 it must have.
public struct Artifact: Sendable, Equatable {
    public var path: String
    public var sha256: String?
    public var location: SourceLocation
}
