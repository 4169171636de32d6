/// A version going live in an environment: a promotion, a hotfix, or a rollback to an earlier version.
///
/// Only production deployments count for DORA; other environments are recorded so the history
/// tells the whole story. A hotfix or rollback names the deployment it remedies, which makes that
/// deployment a failed one for the change failure rate.
public struct Deployment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// A change shipped on purpose.
        case planned
        /// An unplanned change shipped to fix what a deployment broke.
        case hotfix
        /// An earlier version put back because a deployment failed.
        case rollback

        /// Unplanned work: DORA's rework, and a remedy that marks another deployment as failed.
        public var isRemedy: Bool { self != .planned }
    }

    public var id: String
    public var model: String
    public var version: String
    public var environment: String
    public var at: Instant
    public var type: Kind
    /// The commit that produced the version, and when it was made: change lead time starts there.
    public var commit: String?
    public var committedAt: Instant?
    /// When the version was registered: the ML "registration to production" time starts there.
    public var registeredAt: Instant?
    /// For a hotfix or rollback: the deployment it remedies.
    public var remediates: String?
    public var recordedAt: Instant

    public static let production = "production"

    public var isProduction: Bool { environment == Self.production }

    public init(
        id: String, model: String, version: String, environment: String = Deployment.production, at: Instant, type: Kind = .planned,
        commit: String? = nil, committedAt: Instant? = nil, registeredAt: Instant? = nil, remediates: String? = nil, recordedAt: Instant
    ) {
        self.id = id
        self.model = model
        self.version = version
        self.environment = environment
        self.at = at
        self.type = type
        self.commit = commit
        self.committedAt = committedAt
        self.registeredAt = registeredAt
        self.remediates = remediates
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, version, environment, at, type, commit, remediates
        case committedAt = "committed_at"
        case registeredAt = "registered_at"
        case recordedAt = "recorded_at"
    }
}
