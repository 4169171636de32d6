import Foundation

/// Step 4's live latency: puts every version with an http scorer under the `load:` block's
/// open-loop load, on one shared schedule.
enum LiveLatency {
    /// - Parameter environment: where `${VAR}` in the scorers' headers are read from.
    static func measure(_ spec: LoadSpec, versions: [ModelVersion], config: GateConfig, environment: [String: String]) throws(TollgateError) -> LoadResult {
        let served = versions.compactMap { version -> (ModelVersion, HTTPScorerSpec)? in
            if case .http(let http) = version.scorer { return (version, http) }
            return nil
        }
        guard !served.isEmpty else {
            throw TollgateError(.config, at: spec.location, "load: no version in this run has an http scorer to put under load")
        }
        let schedule = LoadSchedule(spec, targets: served.count, seed: config.statistics.seed)
        // A connection per request in flight, so no request waits for one inside the client
        // (a wait there would be counted as the server's time).
        let connections = LoadConnections()
        var targets: [any LoadTarget] = []
        for (index, (version, http)) in served.enumerated() {
            targets.append(
                try target(
                    version, http, dataset: config.dataset, batchSize: spec.batchSize, requests: schedule.requests(of: index), connections: connections,
                    environment: environment))
        }
        return LoadGenerator.run(spec, schedule: schedule, targets: targets, names: served.map(\.0.version))
    }

    /// One served version as a load target, once its server says it is ready: the first
    /// `requests` batches of the dataset (fewer when it runs out), encoded by its protocol's codec.
    static func target(
        _ version: ModelVersion, _ http: HTTPScorerSpec, dataset: DatasetSpec, batchSize: Int, requests: Int,
        connections: LoadConnections, environment: [String: String]
    ) throws(TollgateError) -> HTTPLoadTarget {
        let features = try FeatureColumns.resolve(for: version, dataset: dataset)
        let codec = try InferenceCodecs.make(http, dataset: dataset, features: features, environment: environment)
        try ReadinessWait.wait(
            for: codec.readinessURLs, headers: try ServingEndpoint.headers(http, environment: environment), timeout: http.readyTimeout,
            client: HTTPClient(maxConnections: 1), location: http.location, redact: HTTPScorer.redaction(of: http, in: environment))
        let reader = try FeatureReader(dataset: dataset, features: features)
        var batches: [FeatureBatch] = []
        while batches.count < requests, let batch = try reader.next(batchSize) { batches.append(batch) }
        guard !batches.isEmpty else {
            throw TollgateError(.dataset, at: dataset.pathLocation ?? dataset.location, "load: the dataset has no rows to send")
        }
        return HTTPLoadTarget(connections: connections, codec: codec, batches: batches)
    }
}
