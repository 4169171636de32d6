import Foundation

/// Step 6 of a run: the report of what was measured and decided, for every output to render.
struct ReportAssembly {
    var config: GateConfig
    var resolved: ResolvedVersions
    var artifacts: VerifiedArtifacts
    var measured: MeasuredRun
    var decided: DecidedChecks
    /// Whether the report carries every figure's 95% interval.
    var intervals: Bool
    /// By version: how a live scorer obtained its predictions.
    var scoring: [String: ScoringReport] = [:]

    func report(tool: RunReport.Tool, commit: String?, started: Date, finished: Date) -> RunReport {
        let candidates = resolved.candidates.map { version($0.version, $0.reference, checks: decided.results[$0.version.version]) }
        let decision = candidates.compactMap(\.decision).max() ?? .error
        let evaluation = measured.evaluation
        return RunReport(
            tool: tool, model: config.model,
            startedAt: Formatting.timestamp(started), finishedAt: Formatting.timestamp(finished),
            durationSeconds: finished.timeIntervalSince(started),
            inputs: .init(
                config: .init(path: config.file, sha256: config.sha256),
                dataset: .init(
                    path: config.dataset.displayPath, sha256: evaluation.datasetSHA256, task: config.dataset.task,
                    rows: evaluation.datasetRows, evaluatedRows: evaluation.evaluatedRows),
                commit: commit),
            champion: version(resolved.champion, resolved.championReference, checks: nil),
            candidates: candidates, decision: decision, exitCode: decision.exitCode)
    }

    /// One version's report; `checks` is nil for the champion, which is not gated.
    private func version(_ version: ModelVersion, _ reference: VersionReference, checks: [CheckResult]?) -> VersionReport {
        let measuredVersion = measured.versions[version.version]!
        let comparisons = checks != nil && version.version != resolved.champion.version ? Comparisons.from(measuredVersion) : nil
        var report = VersionReport(
            version: version.version, reference: reference.description, aliases: version.aliases,
            createdAt: version.createdAt, sourceCommit: version.sourceCommit, sourceCommittedAt: version.sourceCommittedAt,
            tags: version.tags, artifact: artifacts.digests[version.version],
            predictions: .init(path: measuredVersion.predictionsPath, sha256: measuredVersion.predictionsSHA256, join: measuredVersion.joinStrategy),
            metrics: measuredVersion.metrics, checks: checks, decision: checks.map(Decision.from), comparisons: comparisons,
            intervals: intervals ? measured.intervals(of: version.version) : nil,
            curves: measuredVersion.curves, latencyDistribution: measured.latency[version.version]?.distribution(),
            scoring: scoring[version.version])
        if let load = measured.load, let versionLoad = load.load(of: version.version) { report.load = LiveLoadReport(load, version: versionLoad) }
        return report
    }
}
