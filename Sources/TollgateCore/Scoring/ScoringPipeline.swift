import Foundation

/// Sends batches to a served model with a bounded number of requests in flight and hands the
/// answers on in the order the batches were sent.
///
/// Memory is O(batch × window): a batch is admitted only while fewer than `concurrency`
/// requests are in flight and fewer than `window` batches are sent but not yet written (the
/// reorder buffer behind a slow request). The first error stops admission; requests still in
/// flight are then ignored, so a fault ends the scoring without waiting for them.
final class ScoringPipeline: @unchecked Sendable {
    struct Tally {
        var requests = 0
        var retries = 0
        var errors: [String: Int] = [:]
    }

    /// Attempts after the first, for connection errors before anything was sent only.
    static let maxRetries = 2

    private let condition = NSCondition()
    private let client: HTTPClient
    private let codec: any InferenceCodec
    private let concurrency: Int
    private let window: Int
    private let endpoint: String
    private let timeout: Double
    /// Called in send order, under the pipeline's lock.
    private let sink: (FeatureBatch, [[Double]]) throws(TollgateError) -> Void
    /// Turns a message into the one shown: secrets removed.
    private let redact: @Sendable (String) -> String
    private let location: SourceLocation

    private var sent = 0
    private var inFlight = 0
    private var written = 0
    private var pending: [Int: (FeatureBatch, [[Double]])] = [:]
    private var failure: TollgateError?
    private var tally = Tally()

    init(
        client: HTTPClient, codec: any InferenceCodec, spec: HTTPScorerSpec, endpoint: String, redact: @escaping @Sendable (String) -> String,
        sink: @escaping (FeatureBatch, [[Double]]) throws(TollgateError) -> Void
    ) {
        self.client = client
        self.codec = codec
        self.concurrency = spec.concurrency
        self.window = 2 * spec.concurrency
        self.endpoint = endpoint
        self.timeout = spec.timeout
        self.redact = redact
        self.sink = sink
        self.location = spec.location
    }

    /// Sends `batch` once there is room; throws the first error any request met.
    func submit(_ batch: FeatureBatch) throws(TollgateError) {
        condition.lock()
        while failure == nil, inFlight >= concurrency || sent - written >= window { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        let sequence = sent
        sent += 1
        inFlight += 1
        condition.unlock()
        send(batch, sequence, attempt: 0)
    }

    /// Waits until every batch sent has been written; throws the first error.
    func finish() throws(TollgateError) -> Tally {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil, written < sent { condition.wait() }
        if let failure { throw failure }
        return tally
    }

    private func send(_ batch: FeatureBatch, _ sequence: Int, attempt: Int) {
        let request = codec.request(for: batch)
        condition.lock()
        tally.requests += 1
        condition.unlock()
        client.start(request) { result in self.received(result, batch, sequence, attempt: attempt) }
    }

    private func received(_ result: Result<HTTPResponse, HTTPFailure>, _ batch: FeatureBatch, _ sequence: Int, attempt: Int) {
        switch result {
        case .failure(let failure):
            count(ScoringFault.errorClass(failure))
            if case .transport(_, beforeSend: true) = failure, attempt < Self.maxRetries {
                condition.lock()
                tally.retries += 1
                let stopped = self.failure != nil
                condition.unlock()
                guard !stopped else { return }
                // A short pause: a server that refused a connection is often a moment from listening.
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05 * Double(attempt + 1)) { self.send(batch, sequence, attempt: attempt + 1) }
                return
            }
            let tries = attempt > 0 ? " (tried \(attempt + 1) times)" : ""
            fail(ScoringFault.message(failure, endpoint: endpoint, timeout: timeout, batch: batch) + tries)
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                count(ScoringFault.errorClass(status: response.status))
                fail(ScoringFault.message(status: response.status, body: ResponseJSON.excerpt(response.body), endpoint: endpoint, batch: batch))
                return
            }
            do {
                let predictions = try codec.predictions(from: response, rows: batch.rows.count)
                completed(sequence, batch, predictions)
            } catch {
                count(ScoringFault.errorClass(error))
                fail(ScoringFault.message(error, endpoint: endpoint, batch: batch))
            }
        }
    }

    private func count(_ errorClass: String) {
        condition.lock()
        tally.errors[errorClass, default: 0] += 1
        condition.unlock()
    }

    /// Stores an answer and writes every answer that is now next in send order.
    private func completed(_ sequence: Int, _ batch: FeatureBatch, _ predictions: [[Double]]) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        inFlight -= 1
        guard failure == nil else { return }
        pending[sequence] = (batch, predictions)
        while let next = pending.removeValue(forKey: written) {
            do {
                try sink(next.0, next.1)
            } catch {
                failure = error
                return
            }
            written += 1
        }
    }

    private func fail(_ message: String) {
        condition.lock()
        inFlight -= 1
        if failure == nil { failure = TollgateError(.scoring, at: location, redact(message)) }
        condition.broadcast()
        condition.unlock()
    }
}
