/// A failure in an environment, blamed on one deployment.
///
/// The link is explicit when the reporter knows the culprit; otherwise it is the latest
/// production deployment of the model before the incident opened (Apache DevLake's rule), so a
/// change failure rate never depends on free text in an incident body.
public struct Incident: Sendable, Equatable, Codable {
    public var id: String
    public var model: String
    public var environment: String
    public var at: Instant
    /// The deployment the incident is blamed on.
    public var deployment: String?
    public var summary: String?
    public var recordedAt: Instant

    public init(
        id: String, model: String, environment: String = Deployment.production, at: Instant, deployment: String? = nil,
        summary: String? = nil, recordedAt: Instant
    ) {
        self.id = id
        self.model = model
        self.environment = environment
        self.at = at
        self.deployment = deployment
        self.summary = summary
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, environment, at, deployment, summary
        case recordedAt = "recorded_at"
    }
}

/// The end of an incident: service restored. One per incident, never before it opened.
public struct Resolution: Sendable, Equatable, Codable {
    public var id: String
    public var model: String
    public var at: Instant
    public var incident: String
    public var recordedAt: Instant

    public init(id: String, model: String, at: Instant, incident: String, recordedAt: Instant) {
        self.id = id
        self.model = model
        self.at = at
        self.incident = incident
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, at, incident
        case recordedAt = "recorded_at"
    }
}
