import Foundation

/// The one place that turns a config's `registry:` (or a `--registry` option) into a registry:
/// `mlflow+http://…` / `mlflow+https://…` is an MLflow server, anything else a folder.
///
/// Every command and library asks here instead of constructing one, so choosing the kind of
/// registry is this file's business alone.
public enum RegistryFactory {
    /// The registry a gate config names; "not found" messages point at its `registry:` line.
    /// An MLflow registry's artifacts are cached in `.tollgate/cache/mlflow` beside the config,
    /// and it serves untagged versions itself when the config's `mlflow:` says so.
    public static func open(for config: GateConfig, environment: [String: String] = ProcessInfo.processInfo.environment) -> any Registry {
        let beside = URL(fileURLWithPath: config.file).deletingLastPathComponent().path
        let registry = open(root: config.registryPath, namedAt: config.registryLocation, cacheBeside: beside, environment: environment)
        guard var mlflow = registry as? MLflowRegistry else { return registry }
        mlflow.serve = config.mlflow
        return mlflow
    }

    /// A registry named outside any config (a command-line option), located at that name; an
    /// MLflow registry's cache goes under `cacheBeside` (default: the working directory).
    public static func open(
        root: String, namedAt location: SourceLocation, cacheBeside: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any Registry {
        guard MLflowEndpoint.names(root) else { return DirectoryRegistry(root: root, location: location) }
        let cache = ((cacheBeside as NSString).appendingPathComponent(".tollgate/cache/mlflow") as NSString).standardizingPath
        return MLflowRegistry(registry: root, environment: environment, cache: cache, location: location)
    }
}

extension GateConfig {
    /// The registry this config names (`RegistryFactory.open(for:)`).
    public func registry() -> any Registry { RegistryFactory.open(for: self) }
}
