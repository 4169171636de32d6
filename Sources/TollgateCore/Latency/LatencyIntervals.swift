import Histogram

#if canImport(Glibc)
    import Glibc
#endif

/// Intervals for latency figures from the exact bootstrap distribution of each one.
///
/// Resampling a version's n requests with replacement makes the k-th fastest resampled
/// request no slower than v exactly when at least k draws land at or below v: a
/// Binomial(n, F(v)) event. So the bootstrap distribution of a percentile is known in closed
/// form over the histogram's buckets, and its percentile interval is the limit of infinitely
/// many resamples, computed without drawing one (and without keeping the samples). The error
/// rate's is Binomial(n, p)/n. Two versions' requests are different requests, so a comparison
/// with the champion draws the two figures independently (seeded), not paired.
enum LatencyIntervals {
    /// The figures with an interval, as the metric catalogue lists them.
    static var names: [String] { MetricCatalog.all.filter { $0.interval == .requests }.map(\.name) }

    /// A discrete distribution: ascending values and the CDF at each.
    struct Distribution: Equatable {
        var values: [Double]
        var cdf: [Double]

        /// The smallest value whose CDF reaches `u` (the inverted CDF).
        func quantile(_ u: Double) -> Double {
            var lo = 0
            var hi = values.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cdf[mid] >= u { hi = mid } else { lo = mid + 1 }
            }
            return values[lo]
        }

        func interval(level: Double) -> (Double, Double) {
            let tail = (1 - level) / 2
            return (quantile(tail), quantile(1 - tail))
        }
    }

    /// The bootstrap distribution of `metric` for these requests.
    static func distribution(_ metric: String, of summary: LatencySummary) -> Distribution {
        let histogram = summary.histogram
        let n = Int(histogram.totalCount)
        if metric == "error_rate" { return errorRate(errors: summary.errors, requests: summary.requests) }
        // The same rank and bucket value HdrHistogram's valueAtPercentile and max use.
        let rank: Int
        let clamp: Bool
        switch metric {
        case "max_ms": (rank, clamp) = (n, false)
        default:
            let percentile = metric == "p50_ms" ? 50.0 : metric == "p95_ms" ? 95.0 : 99.0
            rank = max(1, Int((percentile.nextDown * Double(n) / 100).rounded(.up)))
            clamp = true
        }
        var values: [Double] = []
        var cdf: [Double] = []
        var below = 0
        for bucket in histogram.recordedValues() where bucket.count > 0 {
            below += Int(bucket.count)
            var value = histogram.highestEquivalentForValue(bucket.value)
            if clamp { value = max(min(value, histogram.maxRecorded), histogram.min) }
            let p = SpecialFunctions.binomialUpperTail(atLeast: rank, n, Double(below) / Double(n))
            let ms = Double(value) / 1000
            if let last = values.last, last == ms {
                cdf[cdf.count - 1] = p
            } else {
                values.append(ms)
                cdf.append(p)
            }
        }
        return Distribution(values: values, cdf: cdf)
    }

    /// Binomial(n, p)/n over the counts that carry any mass (±40 standard deviations).
    private static func errorRate(errors: Int, requests n: Int) -> Distribution {
        let p = Double(errors) / Double(n)
        guard errors > 0, errors < n else { return Distribution(values: [p], cdf: [1]) }
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        let lo = max(0, Int(Double(errors) - 40 * sd - 1))
        let hi = min(n, Int(Double(errors) + 40 * sd + 1))
        let logN = SpecialFunctions.logGamma(Double(n) + 1)
        var values: [Double] = []
        var cdf: [Double] = []
        var total = lo == 0 ? 0 : 1 - SpecialFunctions.binomialUpperTail(atLeast: lo, n, p)
        for k in lo...hi {
            let logPMF =
                logN - SpecialFunctions.logGamma(Double(k) + 1) - SpecialFunctions.logGamma(Double(n - k) + 1)
                + Double(k) * log(p) + Double(n - k) * log1p(-p)
            total += exp(logPMF)
            values.append(Double(k) / Double(n))
            cdf.append(min(total, 1))
        }
        cdf[cdf.count - 1] = 1
        return Distribution(values: values, cdf: cdf)
    }

    /// Intervals of every latency figure, for `--intervals`.
    static func intervals(_ summary: LatencySummary, level: Double = 0.95) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for name in names {
            let (lo, hi) = distribution(name, of: summary).interval(level: level)
            out[name] = [lo, hi]
        }
        return out
    }

    /// Decides `p95_ms <= 50 @ 95%` or `p99_ms <= champion * 1.2 @ 95%`.
    static func decide(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, level: Double,
        candidate: LatencySummary, champion: LatencySummary?, settings: PairedBootstrap.Settings, into result: inout CheckResult
    ) {
        let metric = check.subject.metric
        let mine = distribution(metric, of: candidate)
        let unit: IntervalDecision.Unit
        let method: String
        let percent = "\(Formatting.decimal(level * 100))%"
        if expression.mentionsChampion {
            guard let champion else {
                result.outcome = .error
                result.message = "the champion's latency samples were not read"
                return
            }
            let theirs = distribution(metric, of: champion)
            var random = SplitMix64(seed: settings.seed)
            func uniform() -> Double { (Double(random.next() >> 11) + 0.5) * 0x1p-53 }
            var margins: [Double] = []
            margins.reserveCapacity(settings.resamples)
            for _ in 0..<settings.resamples {
                let value = mine.quantile(uniform())
                margins.append(value - expression.evaluate(champion: theirs.quantile(uniform())))
            }
            let (lo, hi) = PairedBootstrap.interval(margins, level: level)
            unit = .init(name: metric, lo: lo, hi: hi)
            method =
                "\(percent) bootstrap interval (\(settings.resamples) draws of the candidate's and the champion's \(metric), each from its exact bootstrap distribution; their requests differ, so unpaired):"
        } else {
            let threshold = expression.evaluate(champion: nil)
            let (lo, hi) = mine.interval(level: level)
            unit = .init(name: metric, lo: lo - threshold, hi: hi - threshold)
            method = "\(percent) exact bootstrap interval over \(candidate.requests) requests:"
        }
        IntervalDecision.decide(check, op, expression, units: [unit], undefined: [], method: method, into: &result)
    }

}
