import Foundation

/// One canary check sentence, read as a sequential test: which per-event value, compared how,
/// against which margin.
///
/// Why the margin is derived here: the sentence `p <= baseline + 0.005` says "the canary may
/// be worse by at most 0.005", which is exactly the non-inferiority margin of the test on
/// canary − baseline; `mean_ms <= baseline * 1.05` is a ratio, which becomes log(1.05) on the
/// log-latency scale where the test runs.
public struct CanaryCheck: Sendable, Equatable {
    public enum Metric: Sendable, Equatable {
        /// Share of events whose status is an error (5xx or "error").
        case errorRate
        /// Mean latency, tested as the mean of log latency.
        case meanMs
        /// `p50_ms`, `p95_ms`, `p99_ms` (q = 0.5, 0.95, 0.99): the share of canary requests
        /// slower than L = slope · Q̂ + offset (Q̂ the baseline's q-quantile frozen after
        /// burn-in) minus the share of later baseline requests slower than Q̂, at margin 0:
        /// a two-sample comparison of exceedance shares (see `CanaryAnalysis.observe`).
        case quantileMs(Double)
        /// Shadow mode: share of paired requests whose predictions differ.
        case disagreementRate
        /// Share of labelled events whose prediction equals the label.
        case accuracy
        /// `mean(FIELD)`: the mean of a numeric event field.
        case mean(String)
        /// `rate(FIELD)`: the share of a 0/1 event field.
        case rate(String)
    }

    public var check: Check
    public var metric: Metric
    /// The tolerated canary − baseline difference on the test's scale (log scale for `meanMs`).
    public var margin: Double
    public var badDirection: SequentialTest.BadDirection
    /// For quantile checks, the latency threshold L = slope · Q_baseline + offset (ms).
    public var thresholdSlope = 1.0
    public var thresholdOffset = 0.0

    public var measure: SequentialMeasure {
        switch metric {
        case .meanMs, .mean: .mean
        case .errorRate, .quantileMs, .disagreementRate, .accuracy, .rate: .proportion
        }
    }

    /// Metrics a canary check may name, for messages.
    static let names = ["error_rate", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "disagreement_rate", "accuracy", "mean(FIELD)", "rate(FIELD)"]

    /// Parses one sentence at `location`; every problem names the file, line and column.
    public static func parse(_ sentence: String, at location: SourceLocation, mode: CanaryConfig.Mode) throws(TollgateError) -> CanaryCheck {
        // `mean(score)` becomes `mean_score_`: the same length, so the check parser's columns
        // stay right, without teaching the shared parser a canary-only form.
        var field: (function: String, name: String)?
        var text = sentence
        if let match = sentence.firstMatch(of: /^(\s*)(mean|rate)\((\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*)\)/) {
            field = (String(match.2), String(match.4))
            let rewritten = String(match.1) + match.2 + "_" + match.3 + match.4 + match.5 + "_"
            text = rewritten + sentence[match.range.upperBound...]
        }
        var check = try CheckParser.parse(text, suite: .canary, at: location, comparator: "baseline")
        check.source = sentence
        func fail(_ message: String) -> TollgateError { TollgateError(.check, at: check.subject.location, message) }

        let metric: Metric
        if let field {
            metric = field.function == "mean" ? .mean(field.name) : .rate(field.name)
            check.subject.metric = "\(field.function)(\(field.name))"
        } else {
            switch check.subject.metric {
            case "error_rate": metric = .errorRate
            case "mean_ms": metric = .meanMs
            case "disagreement_rate": metric = .disagreementRate
            case "accuracy": metric = .accuracy
            case "p50_ms": metric = .quantileMs(0.50)
            case "p95_ms": metric = .quantileMs(0.95)
            case "p99_ms": metric = .quantileMs(0.99)
            case let other:
                throw fail("unknown canary metric '\(other)'\(NameSuggestion.hint(for: other, in: names)); expected one of: \(names.joined(separator: ", "))")
            }
        }
        guard check.subject.slice == nil, check.subject.aggregate == nil else { throw fail("canary checks take no slice") }
        guard check.confidence == nil else {
            throw TollgateError(.check, at: location, "canary checks take no '@ …': every check is an anytime-valid test at statistics.alpha")
        }
        guard case .compare(let op, let expression) = check.condition else { throw fail("expected a comparison such as '<= baseline + 0.005'") }
        let badDirection: SequentialTest.BadDirection
        switch op {
        case .less, .lessOrEqual: badDirection = .increase
        case .greater, .greaterOrEqual: badDirection = .decrease
        case .equal: throw fail("'==' cannot be shown by a test; use '<=' or '>=' with a margin")
        }

        // The exact affine decomposition: a right side that is not slope · baseline + offset
        // (a product of baselines, a division by one) is refused, never sampled at points.
        guard let (slope, offset) = expression.affine, offset.isFinite, slope.isFinite else {
            throw fail("expected 'baseline', 'baseline + D', 'baseline - D' or 'baseline * R' on the right")
        }
        let margin: Double
        if metric == .disagreementRate {
            guard mode == .shadow else { throw fail("disagreement_rate needs mode: shadow (both arms answer the same requests)") }
            guard !expression.mentionsChampion else { throw fail("disagreement_rate is a share of paired requests: compare it with a number, e.g. '<= 0.02'") }
            margin = offset
        } else if !expression.mentionsChampion {
            throw fail("canary checks compare with the baseline arm: write e.g. '\(check.subject.metric) \(op.rawValue) baseline + 0.01'")
        } else if case .quantileMs = metric {
            guard badDirection == .increase, slope > 0 else {
                throw fail("a latency quantile is checked as '\(check.subject.metric) <= baseline * 1.10' or '<= baseline + 5'")
            }
            var quantile = CanaryCheck(check: check, metric: metric, margin: 0, badDirection: badDirection)
            (quantile.thresholdSlope, quantile.thresholdOffset) = (slope, offset)
            return quantile
        } else if metric == .meanMs {
            guard offset == 0, slope > 0 else { throw fail("mean_ms is compared as a ratio on log latency: write 'mean_ms <= baseline * 1.05'") }
            margin = log(slope)
        } else {
            guard abs(slope - 1) < 1e-12 else { throw fail("expected 'baseline + D' or 'baseline - D' for a difference of \(check.subject.metric)") }
            margin = offset
        }
        return CanaryCheck(check: check, metric: metric, margin: margin, badDirection: badDirection)
    }
}
