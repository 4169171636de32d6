import Foundation

/// The command scorer behind the score cache: the program runs on a miss (or with
/// `--rescore`), and a rerun over the same dataset, features and program reads its answer back.
///
/// The key holds what the answer depends on that Tollgate can see: the version and its folder,
/// the arguments, the bytes of every file they name there (the script), the features sent, the
/// dataset's and the artifact's bytes, and the task's layout. A file the program reads without naming it
/// (a model it loads by a path of its own) is not in it: `--rescore` runs the program again.
/// An answer with fewer or more lines than rows sent is never cached, so a broken run is not
/// replayed from the cache: it runs again, and the join names the ids that went wrong. (One
/// with the right count but a repeated or unknown id is cached, and fails the same way from the
/// cache until the script, the data or `--rescore` changes it.)
public struct CachedCommandScorer: Scorer {
    public let spec: CommandScorerSpec
    public let context: ScoringContext

    public init(spec: CommandScorerSpec, context: ScoringContext) {
        self.spec = spec
        self.context = context
    }

    public func predictions(for dataset: DatasetSpec) throws(TollgateError) -> any PredictionStream {
        let started = Date()
        let features = try FeatureColumns.resolve(for: context.version, dataset: dataset)
        let cache = ScoreCache(
            directory: context.options.cacheDirectory ?? ".tollgate/cache/scores", fingerprint: try fingerprint(features: features, dataset: dataset))
        var strict = dataset
        strict.allowMissingIDs = false
        strict.allowExtraIDs = false
        if !context.options.rescore, let hit = cache.lookup() {
            let join = try PredictionJoin(path: hit.path, dataset: strict, namedAt: spec.location)
            var report = hit.report ?? report(rows: 0, seconds: 0)
            report.cacheHit = true
            join.scoring = report
            return join
        }
        let temporary = try cache.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let run = try CommandScorer(spec: spec, version: context.version, outputPath: temporary).score(dataset)
        let report = report(rows: run.rowsSent, seconds: Date().timeIntervalSince(started))
        var path = temporary
        if run.answerLines - 1 == run.rowsSent {
            try cache.commit(temporary, report: report)
            path = cache.predictionsPath
        }
        // A short or long answer is joined from the temporary file (opened before it is
        // removed), so the join reports exactly which ids are missing, repeated or unknown.
        let join = try PredictionJoin(path: path, dataset: strict, namedAt: spec.location)
        join.scoring = report
        return join
    }

    private func report(rows: Int, seconds: Double) -> ScoringReport {
        ScoringReport(
            kind: "command", endpoint: spec.arguments.joined(separator: " "), inferenceProtocol: nil, requests: 1, rows: rows, wallSeconds: seconds,
            cacheHit: false)
    }

    /// What the answer depends on, for the cache key.
    private func fingerprint(features: FeatureColumns, dataset: DatasetSpec) throws(TollgateError) -> [(String, String)] {
        // The version and its folder first: two versions running the same script (which may
        // load each its own model without naming it) must never share an answer.
        var parts: [(String, String)] = [
            ("kind", "command"), ("model", context.version.model), ("version", context.version.version), ("directory", spec.workingDirectory)
        ]
        for (k, argument) in spec.arguments.enumerated() {
            parts.append(("argument.\(k)", argument))
            let path = argument.hasPrefix("/") ? argument : (spec.workingDirectory as NSString).appendingPathComponent(argument)
            var isDirectory: ObjCBool = false
            if k > 0 || argument.contains("/"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                parts.append(("argument.\(k).sha256", try SHA256Digest.hex(ofFileAt: path)))
            }
        }
        return parts + [
            ("features", features.fingerprint), ("task", dataset.task.rawValue), ("classes", dataset.declaredClasses.joined(separator: ",")),
            ("positive", dataset.positive ?? ""), ("id", dataset.idColumn),
            ("dataset_sha256", try SHA256Digest.hex(ofFileAt: dataset.path)), ("artifact_sha256", context.artifactSHA256 ?? "none")
        ]
    }
}
