import Foundation
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// Moves an alias in a directory registry's `model.yaml`: write a new file, rename it over the
/// old one, under an exclusive lock so two promotions never lose one another's change.
///
/// The YAML is rewritten from its parsed form, so comments in `model.yaml` do not survive a
/// move; every key and value does.
public struct AliasMove: Sendable {
    public var registry: DirectoryRegistry
    public var model: String
    public var alias: String
    public var version: String

    public init(registry: DirectoryRegistry, model: String, alias: String, version: String) {
        self.registry = registry
        self.model = model
        self.alias = alias
        self.version = version
    }

    /// What `undo` needs to put the file back.
    public struct Receipt: Sendable {
        public var file: String
        public var previousText: String
        /// The version the alias pointed at before, if any.
        public var previousVersion: String?
    }

    /// Moves the alias; `commit` runs after the rename while the lock is still held, and a
    /// throw from it puts the old file back, so the registry and the history agree.
    public func apply(_ commit: (Receipt) throws(TollgateError) -> Void) throws(TollgateError) {
        let location = SourceLocation(file: "\(model)@\(version)")
        try DirectoryRegistry.checkPathComponent(alias, what: "alias", at: location)
        let file = ((registry.root as NSString).appendingPathComponent(model) as NSString).appendingPathComponent("model.yaml")
        let lockPath = file + ".lock"
        let fd = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw TollgateError(.io, at: SourceLocation(file: lockPath), "cannot create the registry lock: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else {
            throw TollgateError(.io, at: SourceLocation(file: lockPath), "cannot lock the registry: \(String(cString: strerror(errno)))")
        }
        defer { flock(fd, LOCK_UN) }

        let registered = try registry.model(model)
        _ = try registry.version(version, of: registered, referencedAt: location)
        let text = try DirectoryRegistry.read(file)
        guard var root = try Self.compose(text, file: file), case .mapping(var mapping) = root else {
            throw TollgateError(.registry, at: SourceLocation(file: file), "expected a mapping at the top of model.yaml")
        }
        var aliases: Node.Mapping = [:]
        if let existing = mapping["aliases"], case .mapping(let m) = existing { aliases = m }
        let previous = aliases[alias]?.string
        aliases[alias] = Node(version, Tag(.str), .doubleQuoted)
        mapping["aliases"] = .mapping(aliases)
        root = .mapping(mapping)
        let newText: String
        do {
            newText = try Yams.serialize(node: root)
        } catch {
            throw TollgateError(.registry, at: SourceLocation(file: file), "cannot write model.yaml: \(error)")
        }
        try Self.replace(file, with: newText)
        do {
            try commit(Receipt(file: file, previousText: text, previousVersion: previous))
        } catch {
            try? Self.replace(file, with: text)
            throw error
        }
    }

    static func compose(_ text: String, file: String) throws(TollgateError) -> Node? {
        try YAMLDepthGuard.check(text, file: file)
        do {
            return try Yams.compose(yaml: text)
        } catch {
            throw TollgateError(.registry, at: SourceLocation(file: file), "malformed YAML: \(error)")
        }
    }

    /// Write beside, then rename: readers see the old file or the new one, never half of one.
    static func replace(_ file: String, with text: String) throws(TollgateError) {
        let temporary = file + ".tmp-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: temporary), "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TollgateError(.io, at: SourceLocation(file: file), "cannot replace model.yaml: \(reason)")
        }
    }
}
