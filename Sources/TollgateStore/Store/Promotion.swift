import TollgateCore

/// Moving an alias and recording the deployment as one step, for `promote` and `run --promote`.
///
/// The alias moves under the registry's lock and the deployment is recorded before the lock is
/// released; if the history refuses the deployment, the old `model.yaml` is put back, so the
/// registry never names a champion the history has no deployment for.
public struct Promotion: Sendable {
    public var registry: DirectoryRegistry
    public var history: any HistoryStore

    public init(registry: DirectoryRegistry, history: any HistoryStore) {
        self.registry = registry
        self.history = history
    }

    public struct Result: Sendable, Equatable {
        /// As stored, with the links the history supplied.
        public var deployment: Deployment
        /// The version the alias named before, if any.
        public var previous: String?
    }

    /// - Parameter at: when the deployment happened; the history refuses a time in the future.
    public func promote(
        model: String, version: String, alias: String = "champion", environment: String = Deployment.production, at: Instant,
        id: String = HistoryEvent.newID()
    ) throws(TollgateError) -> Result {
        let registered = try registry.model(model)
        let metadata = try registry.version(version, of: registered, referencedAt: SourceLocation(file: "\(model)@\(version)"))
        var deployment = try Deployment(shipping: metadata, id: id, environment: environment, at: at, recordedAt: .now())
        var previous: String?
        try AliasMove(registry: registry, model: model, alias: alias, version: version).apply { (receipt: AliasMove.Receipt) throws(TollgateError) in
            previous = receipt.previousVersion
            if case .added(.deployment(let linked)) = try history.record(.deployment(deployment), now: .now()) { deployment = linked }
        }
        return Result(deployment: deployment, previous: previous)
    }
}
