import Foundation

/// `tollgate canary --replay`: a shadow run without a service mesh.
///
/// Every row of the gate's evaluation dataset is sent, one row per request, to the baseline's
/// and the canary's http scorers at the same moment, and each answer becomes a canary event
/// (arm, time, the row's id as `request_id`, latency, status, score, prediction, the dataset's
/// label). The events then go through the same reader as an event log, so a replay is judged
/// exactly like mirrored production traffic and can be saved and judged again.
///
/// Faults of one request are data here, as during a load (an error or a timeout is an event
/// with `status: "error"`); a server that never becomes ready, a config the scorer cannot use
/// or an unreadable dataset stop the replay with the scorer's located error.
public struct ShadowReplay {
    /// One arm: a version with an http scorer.
    public struct Arm {
        public var version: ModelVersion
        public var http: HTTPScorerSpec

        /// - Parameter role: `baseline` or `canary`, for the message when the version is not served.
        public init(_ version: ModelVersion, role: String, at location: SourceLocation) throws(TollgateError) {
            guard case .http(let http) = version.scorer else {
                throw TollgateError(
                    .config, at: location,
                    "--replay sends requests to the \(role)'s served model, but version \(version.version) has no http scorer (scorer: {http: ...} in its version.yaml)"
                )
            }
            self.version = version
            self.http = http
        }
    }

    public var baseline: Arm
    public var canary: Arm
    public var dataset: DatasetSpec
    /// Rows to replay at most (nil: the whole dataset).
    public var limit: Int?
    /// Where `${VAR}` in the scorers' headers are read from.
    public var environment: [String: String]

    public init(baseline: Arm, canary: Arm, dataset: DatasetSpec, limit: Int? = nil, environment: [String: String]) {
        self.baseline = baseline
        self.canary = canary
        self.dataset = dataset
        self.limit = limit
        self.environment = environment
    }

    /// The replay's events as JSON Lines, baseline then canary for each row, rows in dataset order.
    public func run() throws(TollgateError) -> Data {
        let arms = [(CanaryEvent.Arm.baseline, baseline), (.canary, canary)]
        var codecs: [any InferenceCodec] = []
        var readers: [FeatureReader] = []
        for (_, arm) in arms {
            let features = try FeatureColumns.resolve(for: arm.version, dataset: dataset)
            let codec = try InferenceCodecs.make(arm.http, dataset: dataset, features: features, environment: environment)
            try ReadinessWait.wait(
                for: codec.readinessURLs, headers: try ServingEndpoint.headers(arm.http, environment: environment), timeout: arm.http.readyTimeout,
                client: HTTPClient(maxConnections: 1), location: arm.http.location, redact: HTTPScorer.redaction(of: arm.http, in: environment))
            codecs.append(codec)
            readers.append(try FeatureReader(dataset: dataset, features: features))
        }
        let labels = try LabelReader(dataset: dataset)
        // Rows in flight together: the smaller of the two scorers' `concurrency`, so neither
        // server sees more than its scorer allows.
        let width = min(baseline.http.concurrency, canary.http.concurrency)
        let client = HTTPClient(maxConnections: 2 * width)
        var lines = Data()
        var replayed = 0
        while limit.map({ replayed < $0 }) ?? true {
            let take = min(width, limit.map { $0 - replayed } ?? width)
            let batches = try readers.map { reader throws(TollgateError) in try reader.next(take) }
            guard let first = batches[0], let second = batches[1], !first.ids.isEmpty else { break }
            var rowLabels: [String] = []
            for _ in first.ids { rowLabels.append(try labels.next()) }
            let answers = Answers(rows: first.ids.count)
            let group = DispatchGroup()
            for row in first.ids.indices {
                for (a, batch) in [first, second].enumerated() {
                    let one = FeatureBatch(columns: batch.columns, ids: [batch.ids[row]], rows: [batch.rows[row]])
                    let request = codecs[a].request(for: one)
                    let codec = codecs[a]
                    let sent = Date()
                    group.enter()
                    client.start(request) { result in
                        let latency = Date().timeIntervalSince(sent) * 1000
                        var prediction: [Double]?
                        if case .success(let response) = result, (200..<300).contains(response.status) {
                            prediction = try? codec.predictions(from: response, rows: 1).first
                        }
                        answers.set(row: row, arm: a, Answer(sent: sent.timeIntervalSince1970, latencyMs: latency, prediction: prediction))
                        group.leave()
                    }
                }
            }
            group.wait()
            for row in first.ids.indices {
                for (a, (arm, _)) in arms.enumerated() {
                    lines.append(try event(arm: arm, id: first.ids[row], label: rowLabels[row], answers.get(row: row, arm: a)))
                    lines.append(0x0A)
                }
            }
            replayed += first.ids.count
        }
        guard replayed > 0 else { throw TollgateError(.dataset, at: dataset.pathLocation ?? dataset.location, "--replay: the dataset has no rows to send") }
        return lines
    }

    /// One answer: the score and prediction when the server answered with a valid prediction;
    /// otherwise an error event (a status, a timeout, a wrong shape all count as errors).
    private func event(arm: CanaryEvent.Arm, id: String, label: String, _ answer: Answer) throws(TollgateError) -> Data {
        var object: [String: Any] = [
            "arm": arm.rawValue, "ts": answer.sent, "request_id": id, "latency_ms": answer.latencyMs, "label": Self.json(label),
            "status": answer.prediction == nil ? "error" : "ok"
        ]
        if let values = answer.prediction {
            switch dataset.task {
            case .binary:
                let score = values[0]
                object["score"] = score
                let negative = dataset.classes.first { $0 != dataset.positive } ?? "0"
                object["prediction"] = Self.json(score >= dataset.threshold ? (dataset.positive ?? "1") : negative)
            case .multiclass:
                if let best = values.indices.max(by: { values[$0] < values[$1] }), best < dataset.classes.count {
                    object["prediction"] = Self.json(dataset.classes[best])
                    object["score"] = values[best]
                }
            case .regression:
                object["score"] = values[0]
            }
        }
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        } catch {
            throw TollgateError(.scoring, at: dataset.location, "--replay: cannot write the event of row '\(id)': \(error)")
        }
    }

    /// A class or label as the event reader canonicalises it: numeric text as a number, so the
    /// dataset's `1.0` and a prediction's `1` compare equal.
    static func json(_ text: String) -> Any {
        if let number = Double(text), number.isFinite { return NSNumber(value: number) }
        return text
    }

    struct Answer: Sendable {
        var sent: Double
        var latencyMs: Double
        var prediction: [Double]?
    }

    /// The answers of one round of rows, filled from the client's callbacks.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [[Answer?]]

        init(rows: Int) { values = Array(repeating: [nil, nil], count: rows) }

        func set(row: Int, arm: Int, _ answer: Answer) { lock.withLock { values[row][arm] = answer } }
        func get(row: Int, arm: Int) -> Answer { lock.withLock { values[row][arm]! } }
    }

    /// The dataset's labels in row order, read beside the feature readers.
    final class LabelReader {
        private let reader: any TabularReader
        private let index: Int

        init(dataset: DatasetSpec) throws(TollgateError) {
            reader = try TabularReaders.open(dataset.path, hashing: false, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
            index = try reader.index(ofColumn: dataset.labelColumn, role: "dataset.label", kind: .dataset)
        }

        func next() throws(TollgateError) -> String {
            guard try reader.next() else { throw TollgateError(.dataset, "--replay: the dataset ended while its features were still being read") }
            return reader.string(index)
        }
    }
}
