import TollgateCore

extension Deployment {
    /// A deployment of a registered version: unless given, its commit and commit time come from
    /// the version's `source:` and its registration time from `created_at`, so lead time and
    /// registration-to-production time start where the registry says the version began.
    ///
    /// A `source.committed_at` that is not an RFC 3339 time is refused (located in version.yaml)
    /// rather than dropped, which would silently take the deployment out of lead time. Given a
    /// `commit`, the version's commit time is not used: it belongs to a different commit.
    public init(
        shipping version: ModelVersion, id: String, environment: String = Deployment.production, at: Instant, type: Kind = .planned,
        commit: String? = nil, committedAt: Instant? = nil, remediates: String? = nil, recordedAt: Instant
    ) throws(TollgateError) {
        var committedAt = committedAt
        if committedAt == nil, commit == nil, let text = version.sourceCommittedAt {
            guard let parsed = Instant(rfc3339: text) else {
                throw TollgateError(.registry, at: version.location, "source.committed_at '\(text)' is not an RFC 3339 time")
            }
            committedAt = parsed
        }
        self.init(
            id: id, model: version.model, version: version.version, environment: environment, at: at, type: type,
            commit: commit ?? version.sourceCommit, committedAt: committedAt,
            registeredAt: version.createdAt.flatMap(Instant.init(rfc3339:)), remediates: remediates, recordedAt: recordedAt)
    }
}
