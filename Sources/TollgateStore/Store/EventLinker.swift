import TollgateCore

/// Checks an event against the history it joins and fills in the links it left implicit,
/// inside the transaction that stores it, so two writers never link against a stale picture.
struct EventLinker {
    let db: any SQLConnection
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
                guard let latest = try latestDeployment(of: d.model, in: d.environment, before: d.at) else {
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
                guard let latest = try latestDeployment(of: i.model, in: i.environment, before: i.at) else {
                    throw fail("no \(i.environment) deployment of '\(i.model)' before \(i.at) to blame the incident on; name one with --deployment")
                }
                i.deployment = latest
            }
            return .incident(i)
        case .resolution(let r):
            var opened: Instant?
            var model: String?
            try db.query("SELECT at, model FROM tollgate_events WHERE id = ? AND kind = 'incident'", [.text(r.incident)]) {
                (row: any SQLRow) throws(TollgateError) in
                opened = try row.instant(0)
                model = try row.text(1)
            }
            guard let opened, let model else { throw fail("no incident '\(r.incident)' in the history") }
            guard model == r.model else { throw fail("incident '\(r.incident)' belongs to model '\(model)', not '\(r.model)'") }
            guard r.at >= opened else { throw fail("resolution at \(r.at) is before the incident opened at \(opened)") }
            if let by = try db.scalar("SELECT 1 FROM tollgate_events WHERE kind = 'resolution' AND link = ?", [.text(r.incident)]), by == 1 {
                throw fail("incident '\(r.incident)' is already resolved")
            }
            return event
        }
    }

    private func deployment(id: String, of model: String) throws(TollgateError) -> (model: String, at: Instant) {
        var found: (String, Instant)?
        try db.query("SELECT model, at FROM tollgate_events WHERE id = ? AND kind = 'deployment'", [.text(id)]) { (row: any SQLRow) throws(TollgateError) in
            found = (try row.text(0) ?? "", try row.instant(1) ?? Instant(milliseconds: 0))
        }
        guard let found else { throw fail("no deployment '\(id)' in the history") }
        guard found.0 == model else { throw fail("deployment '\(id)' belongs to model '\(found.0)', not '\(model)'") }
        return found
    }

    /// DevLake's rule: the most recent deployment of the model in that environment before `time`.
    private func latestDeployment(of model: String, in environment: String, before time: Instant) throws(TollgateError) -> String? {
        var id: String?
        try db.query(
            """
            SELECT id FROM tollgate_events WHERE model = ? AND kind = 'deployment' AND environment = ? AND at < ?
            ORDER BY at DESC, recorded_at DESC, id DESC LIMIT 1
            """, [.text(model), .text(environment), SQLValue(time)]
        ) { (row: any SQLRow) throws(TollgateError) in id = try row.text(0) }
        return id
    }
}
