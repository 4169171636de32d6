import Foundation

/// A gate run as a pipeline of named steps: resolve → verify → score → evaluate → decide.
///
/// Each step consumes the previous step's value and nothing else. Any step may throw a
/// `TollgateError`; the run then has no decision but `error` (exit 2).
public struct Gate: Sendable {
    public let config: GateConfig
    public let registry: any Registry
    public let toolVersion: String
    /// The commit under test, for the report (the command line reads it from the CI environment).
    public let commit: String?

    public init(config: GateConfig, registry: (any Registry)? = nil, toolVersion: String = TollgateVersion.current, commit: String? = nil) {
        self.config = config
        self.registry = registry ?? DirectoryRegistry(root: config.registryPath, location: config.registryLocation)
        self.toolVersion = toolVersion
        self.commit = commit
    }

    /// Steps, in order, for progress lines (`[2/5] verify artifacts`).
    public static let steps = ["resolve versions", "verify artifacts", "open predictions", "evaluate", "decide"]

    /// - Parameter intervals: also give every resamplable metric a 95% bootstrap interval.
    /// - Parameter note: told about candidates folded because they name the same version.
    public func run(
        intervals: Bool = false, progress: (Int, String) -> Void = { _, _ in }, note: (String) -> Void = { _ in },
        clock: () -> Date = Date.init
    ) throws(TollgateError) -> RunReport {
        let started = clock()
        progress(0, Self.steps[0])
        let resolved = try ResolvedVersions.resolve(config, in: registry)
        resolved.folded.forEach(note)

        progress(1, Self.steps[1])
        var artifacts: [String: RunReport.FileDigest] = [:]
        for version in resolved.distinctVersions {
            artifacts[version.version] = try ArtifactVerifier.verify(version)
        }

        progress(2, Self.steps[2])
        var inputs: [Evaluator.Input] = []
        for version in resolved.distinctVersions {
            guard case .predictions(let path, let location) = version.scorer else { continue }
            let stream = try PredictionsFileScorer(path: path, location: location).predictions(for: config.dataset)
            try requireLayout(stream.layout, for: version)
            inputs.append(Evaluator.Input(version: version.version, stream: stream))
        }

        progress(3, Self.steps[3])
        let reference = try driftReference()
        var options = Evaluator.Options(
            slices: config.slices, fairness: config.fairness, schema: resolved.distinctVersions.flatMap(\.schema),
            keepRows: intervals || config.checks.contains { check in
                // Latency and drift resample their own samples, not the evaluation rows.
                if case .level = check.confidence { return check.suite != "latency" && check.suite != "drift" }
                return false
            })
        if let reference { options.drift = (reference.columns, reference.values.map(\.isNumerical)) }
        // DeLong costs two table lookups a row: worked out when a check weighs ROC AUC
        // against the champion (or asks for the test), or with --intervals.
        options.delong = intervals || config.checks.contains { check in
            if case .test(name: "delong", _) = check.confidence { return true }
            guard check.subject.metric == "roc_auc", check.subject.slice == nil, case .compare(_, let expression) = check.condition else { return false }
            return expression.mentionsChampion
        }
        let evaluation = try Evaluator.evaluate(dataset: config.dataset, versions: inputs, options: options)
        let driftColumns = reference.map { reference in
            zip(reference.columns, zip(reference.values, evaluation.driftCurrent)).map { (name: $0, reference: $1.0, current: $1.1) }
        } ?? []
        let wantedDrift = Set(config.checks.filter { $0.suite == "drift" }.map(\.subject.metric))
        let drift = driftColumns.map { ColumnDrift.compute(column: $0.name, reference: $0.reference, current: $0.current, wanted: wantedDrift) }
        let driftMetrics = DriftCheckEvaluator.metrics(drift)
        // Drift belongs to the data, not to a version: decide its checks once for every candidate.
        let resampleDrift = intervals || config.checks.contains { $0.suite == "drift" && $0.confidence != nil }
        let driftSamples = resampleDrift ? DriftIntervals.samples(driftColumns, settings: config.statistics) : [:]
        var driftResults: [Int: CheckResult] = [:]
        for (index, check) in config.checks.enumerated() where check.suite == "drift" {
            var result = DriftCheckEvaluator.evaluate(check, drift: drift, metrics: driftMetrics)
            if case .level(let level) = check.confidence, case .compare(let op, let expression) = check.condition, result.outcome != .error {
                DriftIntervals.evaluate(
                    check, op, expression, level: level, columns: driftColumns.map { ($0.name, $0.reference.isNumerical) }, samples: driftSamples,
                    settings: config.statistics, into: &result)
            }
            driftResults[index] = result
        }
        let driftIntervals = intervals ? DriftIntervals.intervals(driftSamples) : [:]
        let versionIndex = Dictionary(uniqueKeysWithValues: inputs.enumerated().map { ($1.version, $0) })
        func resampling(_ version: String) -> Resampling? {
            guard let kept = evaluation.rows else { return nil }
            return Resampling(
                task: config.dataset.task, rows: kept, candidate: versionIndex[version]!, champion: versionIndex[resolved.champion.version]!,
                threshold: config.dataset.threshold, classCount: config.dataset.classes.count, fairness: config.fairness,
                settings: config.statistics)
        }

        let latency = try latencySummaries(resolved)

        progress(4, Self.steps[4])
        var byVersion = Dictionary(uniqueKeysWithValues: evaluation.versions.map { ($0.version, $0) })
        for (version, summary) in latency { byVersion[version]!.metrics.merge(summary.metrics) { $1 } }
        for version in byVersion.keys { byVersion[version]!.metrics.merge(driftMetrics) { $1 } }
        let championEvaluation = byVersion[resolved.champion.version]!
        func report(_ version: ModelVersion, _ reference: VersionReference, gated: Bool) -> VersionReport {
            var measured = byVersion[version.version]!
            measured.metrics["artifact_mb"] = artifacts[version.version]?.bytes.map { Double($0) / 1_000_000 } ?? .nan
            let paired = gated ? resampling(version.version) : nil
            let comparisons = gated && version.version != resolved.champion.version
                ? Comparisons.from(measured) : nil
            let checks = gated ? config.checks.enumerated().map { index, check -> CheckResult in
                if let result = driftResults[index] { return result }
                guard check.suite == "nonfunctional" else {
                    var result = CheckEvaluator.evaluate(check, candidate: measured, champion: championEvaluation, fairness: config.fairness)
                    if check.confidence != nil, case .compare(let op, let expression) = check.condition, result.outcome != .error {
                        if check.suite == "latency", case .level(let level) = check.confidence, let summary = latency[version.version] {
                            LatencyIntervals.evaluate(
                                check, op, expression, level: level, candidate: summary, champion: latency[resolved.champion.version],
                                settings: config.statistics, into: &result)
                        } else {
                            ConfidenceCheckEvaluator.evaluate(check, op, expression, resampling: paired, comparisons: comparisons, into: &result)
                        }
                    }
                    return result
                }
                var result = CheckResult(undecided: check)
                var champion = championEvaluation
                champion.metrics["artifact_mb"] = artifacts[resolved.champion.version]?.bytes.map { Double($0) / 1_000_000 } ?? .nan
                NonFunctionalCheckEvaluator.evaluate(
                    check, version: version, measured: measured, champion: champion,
                    schemaProblems: evaluation.schemaProblems, into: &result)
                return result
            } : nil
            return VersionReport(
                version: version.version, reference: reference.description, aliases: version.aliases,
                createdAt: version.createdAt, sourceCommit: version.sourceCommit, sourceCommittedAt: version.sourceCommittedAt,
                tags: version.tags, artifact: artifacts[version.version],
                predictions: .init(path: measured.predictionsPath, sha256: measured.predictionsSHA256, join: measured.joinStrategy),
                metrics: measured.metrics, checks: checks, decision: checks.map(Decision.from), comparisons: comparisons,
                intervals: intervals
                    ? (resampling(version.version).map { $0.intervals(version: $0.candidate) } ?? [:])
                        .merging(latency[version.version].map { LatencyIntervals.intervals($0) } ?? [:]) { $1 }
                        .merging(driftIntervals) { $1 } : nil,
                curves: measured.curves, latencyDistribution: latency[version.version]?.distribution())
        }
        let candidates = resolved.candidates.map { report($0.version, $0.reference, gated: true) }
        let decision = candidates.compactMap(\.decision).max() ?? .error
        let finished = clock()
        return RunReport(
            tool: .init(name: "tollgate", version: toolVersion), model: config.model,
            startedAt: Timestamp.iso8601(started), finishedAt: Timestamp.iso8601(finished),
            durationSeconds: finished.timeIntervalSince(started),
            inputs: .init(
                config: .init(path: config.file, sha256: config.sha256),
                dataset: .init(
                    path: config.dataset.displayPath, sha256: evaluation.datasetSHA256, task: config.dataset.task,
                    rows: evaluation.datasetRows, evaluatedRows: evaluation.evaluatedRows),
                commit: commit),
            champion: report(resolved.champion, resolved.championReference, gated: false),
            candidates: candidates, decision: decision, exitCode: decision.exitCode)
    }

    /// The reference data's drift columns, read whole, when a drift check asks for them.
    private func driftReference() throws(TollgateError) -> (columns: [String], values: [DriftColumnValues])? {
        guard config.checks.contains(where: { $0.suite == "drift" }), let path = config.dataset.referencePath else { return nil }
        return try DriftCollector.reference(
            path: path, namedAt: config.dataset.referenceLocation, columns: config.driftColumns, excluding: [config.dataset.idColumn, config.dataset.labelColumn])
    }

    /// Latency summaries of the versions latency checks need: every candidate, and the
    /// champion when a check compares with it. A version without samples is an error.
    private func latencySummaries(_ resolved: ResolvedVersions) throws(TollgateError) -> [String: LatencySummary] {
        let checks = config.checks.filter { $0.suite == "latency" }
        guard let first = checks.first else { return [:] }
        let needChampion = checks.contains { check in
            if case .compare(_, let expression) = check.condition { return expression.mentionsChampion }
            return false
        }
        var summaries: [String: LatencySummary] = [:]
        for version in resolved.distinctVersions {
            let isCandidate = resolved.candidates.contains { $0.version.version == version.version }
            guard isCandidate || needChampion else { continue }
            guard let source = try LatencySamples.source(for: version) else {
                throw TollgateError(
                    .check, at: first.location,
                    "\(version.model)@\(version.version) has no latency samples: add 'latency: {samples: FILE}' to its version.yaml or a latency_ms column to its predictions in check '\(first.source)'")
            }
            let origin = source == version.latencySamples ? version.latencySamplesLocation : nil
            summaries[version.version] = try LatencySamples.read(source, namedAt: origin)
        }
        return summaries
    }

    /// Probability metrics need probability columns: say so before reading any data.
    private func requireLayout(_ layout: PredictionLayout, for version: ModelVersion) throws(TollgateError) {
        guard layout == .label else { return }
        for check in config.checks where MetricCatalog.info(check.subject.metric)?.needsProbabilities == true {
            throw TollgateError(
                .check, at: check.subject.location,
                "'\(check.subject.metric)' needs class probabilities, but the predictions of \(version.model)@\(version.version) have only a 'prediction' label column (add p_<class> columns) in check '\(check.source)'")
        }
    }
}

public enum TollgateVersion {
    public static let current = "0.1.0"
}

enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
