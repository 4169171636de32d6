import Histogram

/// Per-request latencies of one version, summarised the way load-testing tools report them.
///
/// Latencies are recorded in microseconds in an HdrHistogram (1 µs to 1 hour, three
/// significant digits), so percentiles are bucket values within 0.1% of the exact ones and
/// memory does not grow with the number of requests.
public struct LatencySummary: Sendable, Equatable {
    public private(set) var histogram = Histogram<UInt64>(highestTrackableValue: LatencySummary.highestMicroseconds, numberOfSignificantValueDigits: .three)
    public private(set) var requests = 0
    public private(set) var errors = 0
    public private(set) var firstTimestamp = Double.infinity
    public private(set) var lastTimestamp = -Double.infinity

    public static let highestMicroseconds: UInt64 = 3_600_000_000

    public init() {}

    /// Records one request; the caller has checked the value is finite, non-negative and within an hour.
    mutating func record(milliseconds: Double, error: Bool, timestamp: Double?) {
        _ = histogram.record(UInt64((milliseconds * 1000).rounded()))
        requests += 1
        if error { errors += 1 }
        if let timestamp {
            firstTimestamp = min(firstTimestamp, timestamp)
            lastTimestamp = max(lastTimestamp, timestamp)
        }
    }

    /// The distribution for a chart: `bins` equal-width bins from the fastest to the slowest
    /// request, as `[lower ms, upper ms, requests]` rows. Each recorded value lands in exactly
    /// one bin (HdrHistogram's range counts would count a bucket that straddles two bins twice).
    public func distribution(bins: Int = 24) -> [[Double]] {
        guard requests > 0, bins > 0 else { return [] }
        let low = histogram.min
        let high = histogram.max
        let width = max(1, (high - low) / UInt64(bins) + 1)
        let used = Int((high - low) / width) + 1
        var counts = [UInt64](repeating: 0, count: used)
        for bucket in histogram.recordedValues() {
            let value = min(max(bucket.value, low), high)
            counts[Int((value - low) / width)] += UInt64(bucket.count)
        }
        return counts.indices.map { i in
            let start = low + UInt64(i) * width
            return [Double(start) / 1000, Double(start + width) / 1000, Double(counts[i])]
        }
    }

    /// `p50_ms`, `p95_ms`, `p99_ms`, `max_ms`, `error_rate`, and `throughput_rps` when the
    /// samples carry timestamps spanning some time (requests over the span, as k6 counts).
    public var metrics: [String: Double] {
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        let span = lastTimestamp - firstTimestamp
        return [
            "p50_ms": ms(histogram.valueAtPercentile(50)),
            "p95_ms": ms(histogram.valueAtPercentile(95)),
            "p99_ms": ms(histogram.valueAtPercentile(99)),
            "max_ms": ms(histogram.max),
            "error_rate": Double(errors) / Double(requests),
            "throughput_rps": span.isFinite && span > 0 ? Double(requests) / span : .nan,
            "requests": Double(requests)
        ]
    }
}
