/// A run, machine-readable: what `--json` writes and what the history will store.
public struct RunReport: Sendable, Equatable, Codable {
    public var tool: Tool
    public var model: String
    public var startedAt: String
    public var finishedAt: String
    public var durationSeconds: Double
    public var inputs: Inputs
    public var champion: VersionReport
    public var candidates: [VersionReport]
    public var decision: Decision
    public var exitCode: Int32

    public struct Tool: Sendable, Equatable, Codable {
        public var name: String
        public var version: String
    }

    public struct Inputs: Sendable, Equatable, Codable {
        public var config: FileDigest
        public var dataset: DatasetInput
        /// The commit under test, as the command line read it from the CI environment (`GITHUB_SHA`, …).
        public var commit: String?
    }

    public struct FileDigest: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String?
        /// Size in bytes, for artifacts.
        public var bytes: Int? = nil
    }

    public struct DatasetInput: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String
        public var task: Task
        public var rows: Int
        public var evaluatedRows: Int

        enum CodingKeys: String, CodingKey {
            case path, sha256, task, rows
            case evaluatedRows = "evaluated_rows"
        }
    }

    enum CodingKeys: String, CodingKey {
        case tool, model, inputs, champion, candidates, decision
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationSeconds = "duration_seconds"
        case exitCode = "exit_code"
    }
}

/// One version in a run: the champion, or a candidate with its checks and decision.
public struct VersionReport: Sendable, Equatable, Codable {
    public var version: String
    /// How the config named it (`@challenger`, `3`).
    public var reference: String
    public var aliases: [String]
    public var createdAt: String?
    public var sourceCommit: String?
    public var sourceCommittedAt: String?
    public var tags: [String: String]
    public var artifact: RunReport.FileDigest?
    public var predictions: Predictions
    /// Flat map from metric name to value; NaN is written as null.
    public var metrics: [String: Double]
    public var checks: [CheckResult]?
    public var decision: Decision?
    /// DeLong and McNemar against the champion (binary candidates).
    public var comparisons: Comparisons? = nil
    /// 95% bootstrap intervals of the metrics, with `--intervals`.
    public var intervals: [String: [Double]]? = nil
    /// ROC curve and confusion matrix, for the report site (binary tasks).
    public var curves: Curves? = nil
    /// Per-request latencies as `[lower ms, upper ms, requests]` bins, when the version has samples.
    public var latencyDistribution: [[Double]]? = nil
    /// How a live scorer (a served model) produced the predictions; nil for a predictions file.
    public var scoring: ScoringReport? = nil
    /// The open-loop load's figures for this version, when the config has `load:`.
    public var load: LiveLoadReport? = nil

    public struct Predictions: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String?
        public var join: String
    }

    enum CodingKeys: String, CodingKey {
        case version, reference, aliases, tags, artifact, predictions, metrics, checks, decision, comparisons, intervals, curves, scoring, load
        case latencyDistribution = "latency_distribution"
        case createdAt = "created_at"
        case sourceCommit = "source_commit"
        case sourceCommittedAt = "source_committed_at"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(reference, forKey: .reference)
        try c.encode(aliases, forKey: .aliases)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(sourceCommit, forKey: .sourceCommit)
        try c.encode(sourceCommittedAt, forKey: .sourceCommittedAt)
        try c.encode(tags, forKey: .tags)
        try c.encode(artifact, forKey: .artifact)
        try c.encode(predictions, forKey: .predictions)
        try c.encode(metrics.mapValues(JSONNumber.finite), forKey: .metrics)
        try c.encodeIfPresent(checks, forKey: .checks)
        try c.encodeIfPresent(decision, forKey: .decision)
        try c.encodeIfPresent(comparisons, forKey: .comparisons)
        try c.encodeIfPresent(intervals?.mapValues { $0.map(JSONNumber.finite) }, forKey: .intervals)
        try c.encodeIfPresent(curves, forKey: .curves)
        try c.encodeIfPresent(latencyDistribution, forKey: .latencyDistribution)
        try c.encodeIfPresent(scoring, forKey: .scoring)
        try c.encodeIfPresent(load, forKey: .load)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        reference = try c.decode(String.self, forKey: .reference)
        aliases = try c.decode([String].self, forKey: .aliases)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        sourceCommit = try c.decodeIfPresent(String.self, forKey: .sourceCommit)
        sourceCommittedAt = try c.decodeIfPresent(String.self, forKey: .sourceCommittedAt)
        tags = try c.decode([String: String].self, forKey: .tags)
        artifact = try c.decodeIfPresent(RunReport.FileDigest.self, forKey: .artifact)
        predictions = try c.decode(Predictions.self, forKey: .predictions)
        metrics = try c.decode([String: Double?].self, forKey: .metrics).mapValues { $0 ?? .nan }
        checks = try c.decodeIfPresent([CheckResult].self, forKey: .checks)
        decision = try c.decodeIfPresent(Decision.self, forKey: .decision)
        comparisons = try c.decodeIfPresent(Comparisons.self, forKey: .comparisons)
        intervals = try c.decodeIfPresent([String: [Double?]].self, forKey: .intervals)?.mapValues { $0.map { $0 ?? .nan } }
        curves = try c.decodeIfPresent(Curves.self, forKey: .curves)
        latencyDistribution = try c.decodeIfPresent([[Double]].self, forKey: .latencyDistribution)
        scoring = try c.decodeIfPresent(ScoringReport.self, forKey: .scoring)
        load = try c.decodeIfPresent(LiveLoadReport.self, forKey: .load)
    }

    public init(
        version: String, reference: String, aliases: [String], createdAt: String?, sourceCommit: String?,
        sourceCommittedAt: String?, tags: [String: String], artifact: RunReport.FileDigest?, predictions: Predictions,
        metrics: [String: Double], checks: [CheckResult]?, decision: Decision?,
        comparisons: Comparisons? = nil, intervals: [String: [Double]]? = nil, curves: Curves? = nil,
        latencyDistribution: [[Double]]? = nil, scoring: ScoringReport? = nil
    ) {
        self.scoring = scoring
        self.curves = curves
        self.latencyDistribution = latencyDistribution
        self.comparisons = comparisons
        self.intervals = intervals
        self.version = version
        self.reference = reference
        self.aliases = aliases
        self.createdAt = createdAt
        self.sourceCommit = sourceCommit
        self.sourceCommittedAt = sourceCommittedAt
        self.tags = tags
        self.artifact = artifact
        self.predictions = predictions
        self.metrics = metrics
        self.checks = checks
        self.decision = decision
    }
}
