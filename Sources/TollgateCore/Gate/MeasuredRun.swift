import Foundation

/// Step 4 of a run: everything the checks are decided on, measured once. One pass over the data
/// for every version, the drift of the data, the latency samples; `artifact_mb`, latency and
/// drift merged into each version's metrics.
struct MeasuredRun {
    var evaluation: Evaluation
    /// By version: the evaluation's metrics with latency, drift and `artifact_mb` merged in.
    var versions: [String: VersionEvaluation]
    var latency: [String: LatencySummary]
    /// The open-loop load, when the config has `load:`; its latencies are then in `latency`.
    var load: LoadResult?
    var drift: DriftMeasurement
    /// Index of each version in the evaluation pass (and its kept rows).
    var passIndex: [String: Int]
    var champion: String
    var config: GateConfig

    static func measure(
        _ scored: ScoredVersions, _ resolved: ResolvedVersions, _ artifacts: VerifiedArtifacts, config: GateConfig, intervals: Bool
    ) throws(TollgateError) -> MeasuredRun {
        let reference = try DriftMeasurement.reference(for: config)
        var options = Evaluator.Options(
            slices: config.slices, fairness: config.fairness, schema: resolved.distinctVersions.flatMap(\.schema),
            keepRows: intervals || config.checks.contains(where: needsKeptRows))
        if let reference { options.drift = (reference.columns, reference.values.map(\.isNumerical)) }
        options.delong = intervals || config.checks.contains(where: needsDeLong)
        let evaluation = try Evaluator.evaluate(dataset: config.dataset, versions: scored.inputs, options: options)

        let resampleDrift = intervals || config.checks.contains { $0.suite == .drift && $0.confidence != nil }
        let drift = DriftMeasurement.measure(
            reference: reference, current: evaluation.driftCurrent, checks: config.checks, settings: config.statistics, resample: resampleDrift)
        let candidates = Set(resolved.candidates.map(\.version.version))
        var load: LoadResult?
        let latency: [String: LatencySummary]
        if let spec = config.load {
            let result = try LiveLatency.measure(spec, versions: resolved.distinctVersions, config: config, environment: ProcessInfo.processInfo.environment)
            latency = try LatencyMeasurement.live(result, checks: config.checks, versions: resolved.distinctVersions, candidates: candidates)
            load = result
        } else {
            latency = try LatencyMeasurement.summaries(config.checks, versions: resolved.distinctVersions, candidates: candidates)
        }

        var versions = Dictionary(uniqueKeysWithValues: evaluation.versions.map { ($0.version, $0) })
        for (version, summary) in latency { versions[version]!.metrics.merge(summary.metrics) { $1 } }
        for version in versions.keys {
            versions[version]!.metrics.merge(drift.metrics) { $1 }
            versions[version]!.metrics["artifact_mb"] = artifacts.megabytes(of: version)
        }
        return MeasuredRun(
            evaluation: evaluation, versions: versions, latency: latency, load: load, drift: drift,
            passIndex: Dictionary(uniqueKeysWithValues: scored.inputs.enumerated().map { ($1.version, $0) }),
            champion: resolved.champion.version, config: config)
    }

    /// A `@ 95%` check on a metric of the rows resamples the kept rows (latency and drift
    /// resample their own samples).
    private static func needsKeptRows(_ check: Check) -> Bool {
        guard case .level = check.confidence else { return false }
        return MetricCatalog.info(check.subject.metric)?.needsKeptRows ?? false
    }

    /// DeLong costs two table lookups a row: worked out when a check weighs ROC AUC against the
    /// champion (or asks for the test), or with --intervals.
    private static func needsDeLong(_ check: Check) -> Bool {
        if case .test(name: .delong, _) = check.confidence { return true }
        guard check.subject.metric == "roc_auc", check.subject.slice == nil, case .compare(_, let expression) = check.condition else { return false }
        return expression.mentionsChampion
    }

    /// What `version`'s checks are decided on.
    func measurements(of version: ModelVersion) -> Measurements {
        let evaluation = versions[version.version]!
        return Measurements(
            version: version, evaluation: evaluation, latency: latency[version.version], resampling: resampling(of: version.version),
            comparisons: version.version == champion ? nil : Comparisons.from(evaluation),
            champion: .init(evaluation: versions[champion]!, latency: latency[champion]),
            drift: drift, schemaProblems: self.evaluation.schemaProblems, fairness: config.fairness, statistics: config.statistics,
            latencyUntrusted: load?.inconclusiveReason)
    }

    /// The kept rows as `version`'s checks resample them against the champion; nil when none were kept.
    func resampling(of version: String) -> Resampling? {
        guard let kept = evaluation.rows else { return nil }
        return Resampling(
            task: config.dataset.task, rows: kept, candidate: passIndex[version]!, champion: passIndex[champion]!,
            threshold: config.dataset.threshold, classCount: config.dataset.classes.count, fairness: config.fairness,
            settings: config.statistics)
    }

    /// 95% intervals of every figure that has one, for `--intervals`: the metrics of the rows,
    /// latency's and drift's.
    func intervals(of version: String) -> [String: [Double]] {
        (resampling(of: version).map { $0.intervals(version: $0.candidate) } ?? [:])
            .merging(latency[version].map { LatencyIntervals.intervals($0) } ?? [:]) { $1 }
            .merging(drift.intervals) { $1 }
    }
}
