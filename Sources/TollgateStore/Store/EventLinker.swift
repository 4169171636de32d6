import TollgateCore

/// What linking an event needs to know about the history before it: `EventBatch` answers from
/// rows it read ahead for a whole batch and the events it has added since.
protocol EventLookup {
    /// The model and time of the stored event `id`, if it is one of `kind`.
    func event(_ id: String, kind: HistoryEvent.Kind) throws(TollgateError) -> (model: String, at: Instant)?
    func isResolved(incident: String) throws(TollgateError) -> Bool
    /// DevLake's rule: the most recent deployment of the model in that environment before `time`.
    func latestDeployment(of model: String, in environment: String, before time: Instant) throws(TollgateError) -> String?
}

/// Checks an event against the history it joins and fills in the links it left implicit,
/// inside the transaction that stores it, so two writers never link against a stale picture.
struct EventLinker {
    let history: any EventLookup
    let now: Instant
    let location: SourceLocation?

    /// How far ahead of this machine's clock an event may be dated (clock skew between runners).
    static let futureTolerance: Double = 300

    func fail(_ message: String) -> TollgateError { TollgateError(.history, at: location, message) }

    func link(_ event: HistoryEvent) throws(TollgateError) -> HistoryEvent {
        guard event.at <= now.adding(seconds: Self.futureTolerance) else {
            throw fail("\(event.kind.rawValue) time \(event.at) is in the future (now \(now)); times may run ahead by at most \(Int(Self.futureTolerance)) s")
        }
        switch event {
        case .run, .incidentTracking, .canaryAnalysis:
            return event
        case .deployment(var d):
            if let committedAt = d.committedAt, committedAt > d.at {
                throw fail("commit time \(committedAt) is after the deployment at \(d.at)")
            }
            if let registeredAt = d.registeredAt, registeredAt > d.at {
                throw fail("registration time \(registeredAt) is after the deployment at \(d.at)")
            }
            if let remediated = d.remediates {
                guard d.type.isRemedy else { throw fail("only a hotfix or rollback remedies another deployment; this one is \(d.type.rawValue)") }
                let target = try deployment(id: remediated, of: d.model)
                guard target.at <= d.at else { throw fail("deployment \(remediated) at \(target.at) is after the \(d.type.rawValue) at \(d.at)") }
            } else if d.type.isRemedy {
                guard let latest = try history.latestDeployment(of: d.model, in: d.environment, before: d.at) else {
                    throw fail("no \(d.environment) deployment of '\(d.model)' before \(d.at) for this \(d.type.rawValue) to remedy")
                }
                d.remediates = latest
            }
            return .deployment(d)
        case .incident(var i):
            if let blamed = i.deployment {
                let target = try deployment(id: blamed, of: i.model)
                guard target.at <= i.at else { throw fail("deployment \(blamed) at \(target.at) is after the incident at \(i.at)") }
            } else {
                guard let latest = try history.latestDeployment(of: i.model, in: i.environment, before: i.at) else {
                    throw fail("no \(i.environment) deployment of '\(i.model)' before \(i.at) to blame the incident on; name one with --deployment")
                }
                i.deployment = latest
            }
            return .incident(i)
        case .resolution(let r):
            guard let incident = try history.event(r.incident, kind: .incident) else { throw fail("no incident '\(r.incident)' in the history") }
            guard incident.model == r.model else { throw fail("incident '\(r.incident)' belongs to model '\(incident.model)', not '\(r.model)'") }
            guard r.at >= incident.at else { throw fail("resolution at \(r.at) is before the incident opened at \(incident.at)") }
            if try history.isResolved(incident: r.incident) { throw fail("incident '\(r.incident)' is already resolved") }
            return event
        }
    }

    private func deployment(id: String, of model: String) throws(TollgateError) -> (model: String, at: Instant) {
        guard let found = try history.event(id, kind: .deployment) else { throw fail("no deployment '\(id)' in the history") }
        guard found.model == model else { throw fail("deployment '\(id)' belongs to model '\(found.model)', not '\(model)'") }
        return found
    }
}
