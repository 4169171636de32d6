/// The one place that turns a config's `registry:` (or a `--registry` folder) into a registry.
///
/// Every command and library asks here instead of constructing one, so the day a second kind of
/// registry arrives (a server, not a folder), choosing it is a change to this file alone.
public enum RegistryFactory {
    /// The registry a gate config names; "not found" messages point at its `registry:` line.
    public static func open(for config: GateConfig) -> DirectoryRegistry {
        DirectoryRegistry(root: config.registryPath, location: config.registryLocation)
    }

    /// A registry named outside any config (a command-line option), located at that name.
    public static func open(root: String, namedAt location: SourceLocation) -> DirectoryRegistry {
        DirectoryRegistry(root: root, location: location)
    }
}

extension GateConfig {
    /// The registry this config names (`RegistryFactory.open(for:)`).
    public func registry() -> DirectoryRegistry { RegistryFactory.open(for: self) }
}
