/// Step 3 of a run: every version's predictions, opened through the scorer its `version.yaml`
/// names, before any data is read.
struct ScoredVersions {
    /// Each distinct version once, champion first, as the evaluation pass takes them.
    var inputs: [Evaluator.Input]
    /// By version: how a live scorer obtained its predictions (none for a predictions file).
    var reports: [String: ScoringReport] = [:]

    static func score(
        _ versions: [ModelVersion], for config: GateConfig, with scorers: ScorerFactory, artifacts: VerifiedArtifacts = VerifiedArtifacts(),
        options: ScoringOptions = ScoringOptions()
    ) throws(TollgateError) -> ScoredVersions {
        var scored = ScoredVersions(inputs: [])
        var options = options
        options.cacheDirectory = options.resolvedCacheDirectory(besideConfig: config.file)
        for version in versions {
            let context = ScoringContext(version: version, artifactSHA256: artifacts.digests[version.version]?.sha256, options: options)
            let stream = try scorers.scorer(for: context).predictions(for: config.dataset)
            try requireLayout(stream.layout, of: version, for: config.checks)
            scored.inputs.append(Evaluator.Input(version: version.version, stream: stream))
            if let report = stream.scoring { scored.reports[version.version] = report }
        }
        return scored
    }

    /// Probability metrics need probability columns: say so before reading any data.
    private static func requireLayout(_ layout: PredictionLayout, of version: ModelVersion, for checks: [Check]) throws(TollgateError) {
        guard layout == .label else { return }
        for check in checks where MetricCatalog.info(check.subject.metric)?.needsProbabilities == true {
            throw TollgateError(
                .check, at: check.subject.location,
                "'\(check.subject.metric)' needs class probabilities, but the predictions of \(version.model)@\(version.version) "
                    + "have only a 'prediction' label column (add p_<class> columns) in check '\(check.source)'")
        }
    }
}
