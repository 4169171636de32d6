import Foundation

/// The live scorer: `scorer: {http: {...}}` in `version.yaml`, a model behind an inference
/// server (Open Inference Protocol v2 or `mlflow models serve`).
///
/// It streams the dataset through the server — reader → batches → at most `concurrency`
/// requests in flight → an order-preserving writer — into a predictions CSV in the score
/// cache, then joins that file like any predictions file, so every suite works on served
/// scores exactly as on a file. Any fault stops the run (exit 2) with nothing cached.
public struct HTTPScorer: Scorer {
    public let spec: HTTPScorerSpec
    public let context: ScoringContext
    /// When set, the model is not served yet: on a cache miss `mlflow models serve` starts it on
    /// a free port (replacing `spec.url`), and stops it once the version is scored or has failed.
    public let serve: MLflowServeSpec?

    public init(spec: HTTPScorerSpec, context: ScoringContext, serve: MLflowServeSpec? = nil) {
        self.spec = spec
        self.context = context
        self.serve = serve
    }

    public func predictions(for dataset: DatasetSpec) throws(TollgateError) -> any PredictionStream {
        let started = Date()
        let features = try FeatureColumns.resolve(for: context.version, dataset: dataset)
        let cache = ScoreCache(
            directory: context.options.cacheDirectory ?? ".tollgate/cache/scores",
            fingerprint: try fingerprint(features: features, dataset: dataset))
        if !context.options.rescore, let hit = cache.lookup() {
            let join = try PredictionJoin(path: hit.path, dataset: dataset)
            var report =
                hit.report
                ?? ScoringReport(
                    kind: "http", endpoint: ServingEndpoint.display(spec.url), inferenceProtocol: spec.inferenceProtocol.rawValue, requests: 0,
                    rows: 0, wallSeconds: 0, cacheHit: true)
            report.cacheHit = true
            join.scoring = report
            return join
        }
        // A served version's server exists only from here until its scores are in (or not).
        var spec = self.spec
        var server: MLflowModelServer?
        defer { server?.stop() }
        if let serve {
            let started = try MLflowModelServer(serve, environment: context.options.environment, workingDirectory: try cache.folder())
            server = started
            spec.url = started.url
        }
        // Made now, with the environment of this run: headers are expanded here and nowhere else
        // (a cache hit needs no credentials).
        let codec = try InferenceCodecs.make(spec, dataset: dataset, features: features, environment: context.options.environment)
        let redact = Self.redaction(of: spec, in: context.options.environment)
        let client = HTTPClient(maxConnections: spec.concurrency)
        let headers = try ServingEndpoint.headers(spec, environment: context.options.environment)
        try ReadinessWait.wait(
            for: codec.readinessURLs, headers: headers, timeout: spec.readyTimeout, client: client, location: spec.location, redact: redact)

        let temporary = try cache.temporaryPath()
        var committed = false
        defer { if !committed { try? FileManager.default.removeItem(atPath: temporary) } }
        let writer = try PredictionsCSVWriter(path: temporary, dataset: dataset)
        let reader = try FeatureReader(dataset: dataset, features: features)
        let endpoint = try endpoint(codec, features: features)
        let pipeline = ScoringPipeline(client: client, codec: codec, spec: spec, endpoint: endpoint, redact: redact) {
            batch, predictions throws(TollgateError) in
            try writer.write(ids: batch.ids, predictions: predictions)
        }
        while let batch = try reader.next(spec.batchSize) {
            try pipeline.submit(batch)
        }
        let tally = try pipeline.finish()
        try writer.close()
        guard writer.rows > 0 else {
            throw TollgateError(.dataset, at: dataset.pathLocation ?? dataset.location, "the dataset has no rows to score")
        }
        let report = ScoringReport(
            kind: "http", endpoint: endpoint, inferenceProtocol: spec.inferenceProtocol.rawValue, requests: tally.requests, rows: writer.rows,
            errors: tally.errors, retries: tally.retries, wallSeconds: Date().timeIntervalSince(started), cacheHit: false)
        try cache.commit(temporary, report: report)
        committed = true
        let join = try PredictionJoin(path: cache.predictionsPath, dataset: dataset)
        join.scoring = report
        return join
    }

    /// What the scores depend on, for the cache key. No header is in it: credentials do not
    /// change scores, and a key must not be derived from a secret.
    private func fingerprint(features: FeatureColumns, dataset: DatasetSpec) throws(TollgateError) -> [(String, String)] {
        [
            ("kind", "http"), ("url", spec.url), ("protocol", spec.inferenceProtocol.rawValue), ("model", spec.model ?? ""),
            ("model_version", spec.modelVersion ?? ""), ("input", "\(spec.inputName):\(spec.inputDatatype)"), ("output", spec.output ?? ""),
            ("features", features.fingerprint), ("task", dataset.task.rawValue), ("classes", dataset.declaredClasses.joined(separator: ",")),
            ("positive", dataset.positive ?? ""), ("id", dataset.idColumn),
            ("dataset_sha256", try SHA256Digest.hex(ofFileAt: dataset.path)), ("artifact_sha256", context.artifactSHA256 ?? "none")
        ] + (spec.identity.map { [("identity", $0)] } ?? [])
    }

    /// The URL requests go to, as reports show it (no user or password).
    private func endpoint(_ codec: any InferenceCodec, features: FeatureColumns) throws(TollgateError) -> String {
        let probe = codec.request(for: FeatureBatch(columns: features.names, ids: [], rows: []))
        return ServingEndpoint.display(probe.url.absoluteString)
    }

    /// Replaces the value of every variable the headers name with `***`, so a server that
    /// echoes a credential in an error body cannot put it in a message.
    static func redaction(of spec: HTTPScorerSpec, in environment: [String: String]) -> @Sendable (String) -> String {
        var secrets: [String] = []
        for header in spec.headers {
            var rest = Substring(header.value)
            while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                if let value = environment[String(rest[start.upperBound..<end])], value.count >= 3 { secrets.append(value) }
                rest = rest[rest.index(after: end)...]
            }
        }
        let ordered = secrets.sorted { $0.count > $1.count }
        return { message in ordered.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") } }
    }
}
