import TollgateCore

/// Moving an alias and recording the deployment as one step, for `promote` and `run --promote`.
///
/// The registry moves the alias (`AliasMoving`: a folder under its lock, an MLflow server by a
/// checked `POST`) and the deployment is recorded inside that move; if the history refuses
/// the deployment, the alias is put back, so the registry never names a champion the history
/// has no deployment for.
public struct Promotion: Sendable {
    public var registry: any Registry
    public var history: any HistoryStore

    public init(registry: any Registry, history: any HistoryStore) {
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
    /// - Parameter resolved: the model as the caller read it (e.g. when the gate resolved its
    ///   versions); the alias must still name what it named then, or the promotion is refused.
    ///   Without it, the model is read now.
    public func promote(
        model: String, version: String, alias: String = "champion", environment: String = Deployment.production, at: Instant,
        id: String = HistoryEvent.newID(), resolved: RegisteredModel? = nil
    ) throws(TollgateError) -> Result {
        guard let movable = registry as? any AliasMoving else {
            throw TollgateError(.registry, at: SourceLocation(file: "\(model)@\(version)"), "this registry cannot move aliases")
        }
        let registered: RegisteredModel
        if let resolved { registered = resolved } else { registered = try registry.model(model) }
        let metadata = try registry.version(version, of: registered, referencedAt: SourceLocation(file: "\(model)@\(version)"))
        var deployment = try Deployment(shipping: metadata, id: id, environment: environment, at: at, recordedAt: .now())
        var previous: String?
        try movable.moveAlias(alias, of: model, to: version, expecting: registered.aliases[alias]) { (receipt: AliasReceipt) throws(TollgateError) in
            previous = receipt.previousVersion
            if case .added(.deployment(let linked)) = try history.record(.deployment(deployment), now: .now()) { deployment = linked }
        }
        return Result(deployment: deployment, previous: previous)
    }
}
