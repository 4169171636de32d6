import Foundation

/// `source: {prometheus: ...}` in `canary.yml`: per-arm counters and latency histogram buckets
/// read with PromQL over Prometheus's HTTP API, for canaries whose traffic is only counted.
///
/// Why counters become events: the sequential tests take per-request observations, and a
/// request counter, an error counter and histogram buckets say exactly how many requests there
/// were, how many failed and how many fell in each latency bucket. Each look reads the
/// counters' increase since the previous look (kept in the state, like a file position), so
/// the test continues across looks as it does over an event log. Only the checks the counts
/// can answer are allowed: `error_rate` exactly, `mean_ms` from the buckets (each request at
/// its bucket's geometric midpoint, the same rule for both arms).
public struct PrometheusSource: Sendable, Equatable {
    /// `http(s)://host:port` of the Prometheus server (its `/api/v1/query` is called).
    public var url: String
    /// PromQL giving one arm's cumulative request count; `{{arm}}` is replaced by the arm's name.
    public var requests: String
    /// PromQL giving one arm's cumulative error count.
    public var errors: String
    /// PromQL giving one arm's cumulative histogram buckets, one series per `le` (optional).
    public var latencyBuckets: String?
    /// Milliseconds per unit of the buckets' `le` bounds (1000 for seconds, Prometheus's convention).
    public var latencyScale: Double = 1000
    public var timeout: Double = 10
    public var location: SourceLocation

    /// The most requests (or errors, or requests in one bucket) one look turns into events: they
    /// are streamed, but a look still takes time in proportion.
    static let maxPerLook: Double = 10_000_000

    public init(url: String, requests: String, errors: String, latencyBuckets: String? = nil, location: SourceLocation) {
        self.url = url
        self.requests = requests
        self.errors = errors
        self.latencyBuckets = latencyBuckets
        self.location = location
    }

    /// The requests counted since the previous look, as events: per arm, one event per request
    /// carrying its status and one per bucketed request carrying its latency.
    public func events(state: inout CanaryState, client: HTTPClient = HTTPClient(maxConnections: 2), now: Double = Date().timeIntervalSince1970)
        throws(TollgateError) -> [CanaryEvent]
    {
        var events: [CanaryEvent] = []
        try forEachEvent(state: &state, client: client, now: now) { event, _ in events.append(event) }
        return events
    }

    /// The same events handed to `body` one at a time, with the state, never held together: a
    /// look over millions of counted requests adds each to the checks as it is made.
    public func forEachEvent(
        state: inout CanaryState, client: HTTPClient = HTTPClient(maxConnections: 2), now: Double = Date().timeIntervalSince1970,
        _ body: (CanaryEvent, inout CanaryState) throws(TollgateError) -> Void
    ) throws(TollgateError) {
        var counters = state.prometheusCounters ?? [:]
        for arm in CanaryEvent.Arm.allCases {
            // Without a request count there is nothing to divide errors by: both wait for the next
            // look. Without an error count (many exporters create it at the first error) there
            // were none.
            let requestsNow = total(try query(requests, arm: arm, client: client, at: now))
            let errorsNow = total(try query(errors, arm: arm, client: client, at: now))
            let requests = increase(requestsNow, key: "\(arm.rawValue)/requests", &counters)
            let errors = requestsNow == nil ? 0 : increase(errorsNow, key: "\(arm.rawValue)/errors", &counters)
            // Counts become events, one per request: a look of more than this is refused rather
            // than exhausting memory (and `max_samples` is far below it).
            for (what, value) in [("requests", requests), ("errors", errors)] where value > Self.maxPerLook {
                throw TollgateError(
                    .dataset, at: location,
                    "Prometheus counted \(value) \(arm.rawValue) \(what) since the last look, more than the \(Int(Self.maxPerLook)) one look takes; look more often (with --state)"
                )
            }
            guard errors <= requests else {
                throw TollgateError(
                    .dataset, at: location,
                    "Prometheus counted \(Int(errors)) \(arm.rawValue) errors but only \(Int(requests)) requests since the last look; check the 'errors' and 'requests' queries"
                )
            }
            for k in 0..<Int(requests) { try body(CanaryEvent(arm: arm, time: now, isError: Double(k) < errors), &state) }
            if let latencyBuckets {
                let buckets = try self.buckets(try query(latencyBuckets, arm: arm, client: client, at: now))
                var cumulative: [(bound: Double, count: Double)] = []
                for bucket in buckets { cumulative.append((bucket.bound, increase(bucket.count, key: "\(arm.rawValue)/le=\(bucket.bound)", &counters))) }
                var lower = 0.0
                var below = 0.0
                let largestFinite = buckets.last(where: { $0.bound.isFinite })?.bound ?? 0
                for (bound, count) in cumulative {
                    let inBucket = max(0, count - below)
                    below = max(below, count)
                    let upper = bound.isFinite ? bound : largestFinite
                    let value = (lower > 0 ? (lower * upper).squareRoot() : upper / 2) * latencyScale
                    guard inBucket <= Self.maxPerLook else {
                        throw TollgateError(
                            .dataset, at: location,
                            "Prometheus counted \(inBucket) \(arm.rawValue) requests in one latency bucket since the last look, more than one look takes")
                    }
                    if inBucket > 0, value > 0 {
                        for _ in 0..<Int(inBucket) { try body(CanaryEvent(arm: arm, time: now, latencyMs: value), &state) }
                    }
                    if bound.isFinite { lower = bound }
                }
            }
        }
        state.prometheusCounters = counters
    }

    /// A counter's increase since the last look; a value below the last one is a reset (the
    /// process restarted), counted from zero as PromQL's `increase` does.
    /// No series at all (nothing counted yet, or a failed scrape made the series stale) is no
    /// increase, and the last value is kept: taking it as zero would count everything again
    /// when the series returns.
    private func increase(_ value: Double?, key: String, _ counters: inout [String: Double]) -> Double {
        guard let value else { return 0 }
        let previous = counters[key] ?? 0
        counters[key] = value
        return value >= previous ? value - previous : value
    }

    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    /// Runs one instant query for `arm` and returns its samples.
    func query(_ template: String, arm: CanaryEvent.Arm, client: HTTPClient, at time: Double) throws(TollgateError) -> [Sample] {
        let promQL = template.replacingOccurrences(of: "{{arm}}", with: arm.rawValue)
        guard var components = URLComponents(string: url.hasSuffix("/") ? url + "api/v1/query" : url + "/api/v1/query") else {
            throw TollgateError(.config, at: location, "'\(url)' is not a URL")
        }
        components.queryItems = [URLQueryItem(name: "query", value: promQL), URLQueryItem(name: "time", value: String(time))]
        guard let requestURL = components.url else { throw TollgateError(.config, at: location, "'\(url)' is not a URL") }
        let response: HTTPResponse
        switch client.send(HTTPRequest(url: requestURL, timeout: timeout)) {
        case .success(let answer): response = answer
        case .failure(let failure):
            throw TollgateError(.io, at: location, "Prometheus at \(url) did not answer the query '\(promQL)': \(failure)")
        }
        let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard let json else {
            throw TollgateError(
                .io, at: location, "Prometheus at \(url) answered the query '\(promQL)' with HTTP \(response.status) and a body that is not JSON")
        }
        guard json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            let reason = [json["errorType"], json["error"]].compactMap { $0 as? String }.joined(separator: ": ")
            throw TollgateError(.io, at: location, "Prometheus refused the query '\(promQL)' (HTTP \(response.status)): \(reason)")
        }
        func number(_ pair: Any?) throws(TollgateError) -> Double {
            guard let pair = pair as? [Any], pair.count == 2, let text = pair[1] as? String, let value = Double(text), value.isFinite, value >= 0 else {
                throw TollgateError(
                    .dataset, at: location, "the query '\(promQL)' gave \(pair.map { "\($0)" } ?? "no value"); expected a finite count of at least 0")
            }
            return value
        }
        switch data["resultType"] as? String {
        case "vector":
            var samples: [Sample] = []
            for series in data["result"] as? [[String: Any]] ?? [] {
                samples.append(Sample(labels: series["metric"] as? [String: String] ?? [:], value: try number(series["value"])))
            }
            return samples
        case "scalar":
            return [Sample(labels: [:], value: try number(data["result"]))]
        default:
            throw TollgateError(
                .dataset, at: location,
                "the query '\(promQL)' gave a \(data["resultType"] as? String ?? "missing") result; expected an instant vector or a scalar")
        }
    }

    /// The sum over the series (a query may return one series per instance); nil when there is
    /// none, so a look before any traffic is undecided, never a pass.
    private func total(_ samples: [Sample]) -> Double? {
        samples.isEmpty ? nil : samples.reduce(0) { $0 + $1.value }
    }

    /// Cumulative buckets by bound, summed over series with the same `le`, ascending.
    private func buckets(_ samples: [Sample]) throws(TollgateError) -> [(bound: Double, count: Double)] {
        var byBound: [Double: Double] = [:]
        for sample in samples {
            guard let le = sample.labels["le"], let bound = le == "+Inf" ? Double.infinity : Double(le), bound > 0 else {
                throw TollgateError(
                    .dataset, at: location,
                    "the latency_buckets query gave a series without a positive 'le' label (\(sample.labels)); expected histogram buckets, e.g. sum by (le) (..._bucket{...})"
                )
            }
            byBound[bound, default: 0] += sample.value
        }
        return byBound.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
