import TollgateCore

/// Computes a `DoraReport` from the history's facts, following `dora-and-report-sites.md` Part C.
///
/// - Deployments are production deployments of the model, every type (planned, hotfix,
///   rollback); `D` is those inside the window.
/// - Lead time pairs each deployment in `D` with its commit if it is the first production
///   deployment of that commit (a rollback re-shipping an old commit adds no new change);
///   non-positive spans are dropped.
/// - A deployment failed if an incident is blamed on it or a production hotfix/rollback remedies it.
/// - Failed deployment recovery time (DORA 2023): each incident resolved in the window, from its
///   deployment to its resolution; and each remedy in `D` for a deployment no incident was raised
///   against, from that deployment to the remedy.
/// - Time to restore service (DORA 2021): each incident resolved in the window, from its opening
///   to its resolution. Each report year grades its own figure; the other is shown ungraded.
/// - As of the window's end: incidents opened and resolutions made at or after it are not read,
///   so a report once made does not change when later incidents are recorded.
/// - The change failure rate is graded only when the model's incidents are tracked: an incident
///   or an incident-tracking event recorded before the window's end (`IncidentTracking`).
/// - Medians are lower medians; p90 is nearest-rank (`Percentile`).
public struct DoraCalculator: Sendable {
    public var window: DoraWindow
    public var benchmark: DoraBenchmark

    public init(window: DoraWindow, benchmark: DoraBenchmark) {
        self.window = window
        self.benchmark = benchmark
    }

    /// One report per model in the facts, or per model named (N/A figures for one with no history).
    public func reports(_ facts: DoraFacts, models: [String]? = nil) -> [DoraReport] {
        var deployments: [String: [Deployment]] = [:]
        var incidents: [String: [DoraFacts.IncidentFact]] = [:]
        var evaluations: [String: [DoraFacts.Evaluation]] = [:]
        var checks: [String: [DoraFacts.CheckOutcome]] = [:]
        var tracked: [String: Instant] = [:]
        for t in facts.incidentTracking where t.at < window.end { tracked[t.model] = min(tracked[t.model] ?? t.at, t.at) }
        for i in facts.incidents where i.at < window.end { tracked[i.model] = min(tracked[i.model] ?? i.at, i.at) }
        for d in facts.deployments where d.at < window.end { deployments[d.model, default: []].append(d) }
        for i in facts.incidents where i.at < window.end { incidents[i.model, default: []].append(i) }
        for e in facts.evaluations where e.at < window.end { evaluations[e.model, default: []].append(e) }
        for c in facts.checks where window.contains(c.at) { checks[c.model, default: []].append(c) }
        var canary: [String: [DoraFacts.CanaryOutcome]] = [:]
        for a in facts.canaryAnalyses where window.contains(a.at) { canary[a.model, default: []].append(a) }
        return (models ?? facts.models).map { model in
            report(
                model: model, deployments: deployments[model] ?? [], incidents: incidents[model] ?? [],
                evaluations: evaluations[model] ?? [], checks: checks[model] ?? [], incidentsTrackedSince: tracked[model],
                canary: canary[model] ?? [])
        }
    }

    func report(
        model: String, deployments all: [Deployment], incidents: [DoraFacts.IncidentFact],
        evaluations: [DoraFacts.Evaluation], checks: [DoraFacts.CheckOutcome], incidentsTrackedSince: Instant? = nil,
        canary: [DoraFacts.CanaryOutcome] = []
    ) -> DoraReport {
        let production = all.filter { $0.environment == Deployment.production }.sorted { $0.at < $1.at }
        let inWindow = production.filter { window.contains($0.at) }
        let byID = Dictionary(production.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Failed deployments: blamed by an incident or remedied by a later deployment.
        var blamed = Set<String>()
        for incident in incidents { if let d = incident.deployment { blamed.insert(d) } }
        // Only a production hotfix or rollback remedies a production deployment.
        var remedied = Set<String>()
        for d in production where d.type.isRemedy { if let r = d.remediates { remedied.insert(r) } }
        let failed = inWindow.filter { blamed.contains($0.id) || remedied.contains($0.id) }

        // Lead time: first production deployment of each commit.
        var firstOfCommit: [String: String] = [:]
        for d in production { if let c = d.commit, firstOfCommit[c] == nil { firstOfCommit[c] = d.id } }
        var leadTimes: [Double] = []
        for d in inWindow {
            guard let commit = d.commit, let committedAt = d.committedAt, firstOfCommit[commit] == d.id else { continue }
            let span = d.at.seconds(since: committedAt)
            if span > 0 { leadTimes.append(span) }
        }

        var recoveries: [Double] = []
        var restorations: [Double] = []
        for incident in incidents {
            guard let resolved = incident.resolvedAt, window.contains(resolved) else { continue }
            restorations.append(resolved.seconds(since: incident.at))
            guard let d = incident.deployment.flatMap({ byID[$0] }) else { continue }
            recoveries.append(resolved.seconds(since: d.at))
        }
        for remedy in inWindow where remedy.type.isRemedy {
            guard let target = remedy.remediates, !blamed.contains(target), let d = byID[target] else { continue }
            recoveries.append(remedy.at.seconds(since: d.at))
        }

        let frequency = deploymentFrequency(inWindow)
        let b = benchmark
        return DoraReport(
            model: model,
            window: .init(start: window.start, end: window.end, days: window.days),
            reportYear: b.year,
            deploymentFrequency: frequency,
            changeLeadTime: .init(leadTimes, level: b.leadTime),
            incidentsTrackedSince: incidentsTrackedSince,
            changeFailureRate: .init(failed.count, of: inWindow.count, level: { incidentsTrackedSince == nil ? nil : b.changeFailureRate($0) }),
            failedDeploymentRecoveryTime: .init(recoveries, level: { b.grades(.failedDeploymentRecoveryTime) ? b.recoveryTime($0) : nil }),
            timeToRestoreService: .init(restorations, level: { b.grades(.timeToRestoreService) ? b.recoveryTime($0) : nil }),
            reworkRate: .init(inWindow.filter { $0.type.isRemedy }.count, of: inWindow.count, level: { _ in nil }),
            ml: mlFigures(
                production: production, inWindow: inWindow, evaluations: evaluations, checks: checks,
                canary: canary))
    }

    func deploymentFrequency(_ inWindow: [Deployment]) -> DoraReport.DeploymentFrequency {
        let days = Set(inWindow.map(\.at.day))
        guard !inWindow.isEmpty else {
            return .init(deployments: 0, perDay: nil, deploymentDays: 0, medianDaysPerWeek: nil, medianDaysPerMonth: nil, level: nil)
        }
        var weeks: [Int64: Int] = [:]
        var months: [Int64: Int] = [:]
        for day in window.firstDay...window.lastDay {
            weeks[DoraWindow.week(ofDay: day), default: 0] += days.contains(day) ? 1 : 0
            months[DoraWindow.month(ofDay: day), default: 0] += days.contains(day) ? 1 : 0
        }
        let weekly = Percentile.of(0.5, weeks.values.map(Double.init))!
        let monthly = Percentile.of(0.5, months.values.map(Double.init))!
        let perSixMonths = Double(days.count) * 182.5 / Double(window.days)
        return .init(
            deployments: inWindow.count, perDay: Double(inWindow.count) / Double(window.days), deploymentDays: days.count,
            medianDaysPerWeek: weekly, medianDaysPerMonth: monthly,
            level: benchmark.deploymentFrequency(weekly: weekly, monthly: monthly, perSixMonths: perSixMonths))
    }

    func mlFigures(
        production: [Deployment], inWindow: [Deployment], evaluations: [DoraFacts.Evaluation],
        checks: [DoraFacts.CheckOutcome], canary: [DoraFacts.CanaryOutcome] = []
    ) -> DoraReport.MLFigures {
        let current = production.last
        var firstDeployment: [String: Deployment] = [:]
        for d in production where firstDeployment[d.version] == nil { firstDeployment[d.version] = d }
        let registration = firstDeployment.values.compactMap { d -> Double? in
            guard window.contains(d.at), let registered = d.registeredAt else { return nil }
            return d.at.seconds(since: registered)
        }

        let windowEvaluations = evaluations.filter { window.contains($0.at) }
        var firstEvaluation: [String: DoraFacts.Evaluation] = [:]
        for e in evaluations where firstEvaluation[e.version] == nil { firstEvaluation[e.version] = e }
        let firstAttempts = firstEvaluation.values.filter { window.contains($0.at) }

        struct Key: Hashable { var version, dataHash, expression: String }
        var order: [Key] = []
        var outcomes: [Key: [String]] = [:]
        for c in checks {
            let key = Key(version: c.version, dataHash: c.dataHash, expression: c.expression)
            if outcomes[key] == nil { order.append(key) }
            outcomes[key, default: []].append(c.outcome)
        }
        let flaky = order.compactMap { key -> DoraReport.FlakyCheck? in
            let seen = outcomes[key]!
            var distinct: [String] = []
            for o in seen where !distinct.contains(o) { distinct.append(o) }
            guard distinct.count > 1 else { return nil }
            let flips = zip(seen, seen.dropFirst()).filter { $0 != $1 }.count
            return .init(version: key.version, dataHash: key.dataHash, expression: key.expression, outcomes: distinct, runs: seen.count, flips: flips)
        }

        return .init(
            modelAge: current.map { window.end.seconds(since: $0.at) },
            productionVersion: current?.version,
            registrationToProduction: .init(registration, level: { _ in nil }),
            gatePassRate: .init(windowEvaluations.filter(\.passed).count, of: windowEvaluations.count, level: { _ in nil }),
            firstAttemptPassRate: .init(firstAttempts.filter(\.passed).count, of: firstAttempts.count, level: { _ in nil }),
            rollbackRate: .init(inWindow.filter { $0.type == .rollback }.count, of: inWindow.count, level: { _ in nil }),
            flakyChecks: flaky,
            canary: Self.canaryCounts(canary))
    }

    static func canaryCounts(_ analyses: [DoraFacts.CanaryOutcome]) -> DoraReport.CanaryCounts {
        let passed = analyses.filter { $0.verdict == "pass" }.count
        let failed = analyses.filter { $0.verdict == "fail" }.count
        return .init(passed: passed, failed: failed, undecided: analyses.count - passed - failed)
    }
}
