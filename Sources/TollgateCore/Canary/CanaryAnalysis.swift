import Foundation

/// One look at a canary: new events into each check's per-arm statistics, each check's
/// sequential test advanced, and the checks' outcomes combined into a verdict.
///
/// Why a pure function of (config, state, new events): the verdict is then reproducible
/// offline from the recorded events, and a look in a new process continues the same test.
public enum CanaryAnalysis {
    /// Advances `state` by one look over `events` (the events not seen by earlier looks).
    public static func look(config: CanaryConfig, events: [CanaryEvent], state: inout CanaryState) throws(TollgateError) -> CanaryVerdict {
        for event in events { try add(event, config: config, state: &state) }
        return conclude(config: config, state: &state)
    }

    /// Counts one event into every check's statistics (or holds it for its shadow pair).
    public static func add(_ event: CanaryEvent, config: CanaryConfig, state: inout CanaryState) throws(TollgateError) {
        state.firstTime = min(state.firstTime ?? event.time, event.time)
        state.lastTime = max(state.lastTime ?? event.time, event.time)
        if config.mode == .shadow {
            try pair(event, config: config, state: &state)
            return
        }
        for (index, check) in config.checks.enumerated() {
            if case .quantileMs = check.metric {
                guard let latency = event.latencyMs else { continue }
                try observe(
                    baseline: event.arm == .baseline ? latency : nil, canary: event.arm == .canary ? latency : nil,
                    check: check, index: index, config: config, state: &state)
                continue
            }
            guard let value = try value(of: check, in: event) else { continue }
            switch event.arm {
            case .baseline: state.checks[index].baseline.add(value)
            case .canary: state.checks[index].canary.add(value)
            }
        }
    }

    /// Ends a look: every check's sequential test advanced over what has been added so far.
    public static func conclude(config: CanaryConfig, state: inout CanaryState) -> CanaryVerdict {
        state.looks += 1
        let timeUp =
            config.statistics.maxDuration.map { limit in
                guard let first = state.firstTime, let last = state.lastTime else { return false }
                return last - first >= limit
            } ?? false
        let alpha = config.alphaPerCheck
        var results: [CanaryVerdict.CheckResult] = []
        for (index, check) in config.checks.enumerated() {
            let test = SequentialTest(
                alpha: alpha, margin: check.margin, badDirection: check.badDirection,
                minSamples: config.statistics.minSamples, maxSamples: config.statistics.maxSamples)
            let arms = state.checks[index]
            let difference: DifferenceEstimate?
            if config.mode == .shadow {
                difference = DifferenceEstimate.paired(differences: arms.paired, measure: check.measure)
            } else {
                difference = DifferenceEstimate.unpaired(baseline: arms.baseline, canary: arms.canary, measure: check.measure)
            }
            var look = test.look(difference, state: &state.checks[index].sequential, horizonReached: timeUp)
            if difference == nil, config.mode == .canary || arms.threshold != nil {
                look.baselineCount = arms.baseline.count
                look.canaryCount = arms.canary.count
            }
            if case .quantileMs = check.metric, arms.threshold == nil {
                look.baselineCount = arms.burnInBaseline.count
                look.canaryCount = arms.burnInCanary.count
                look.reason =
                    (look.outcome == .inconclusive ? "horizon reached in " : "waiting for min_samples: ")
                    + "burn-in: the baseline's quantile is frozen after min_samples \(config.statistics.minSamples) baseline latencies; \(arms.burnInBaseline.count) so far"
            }
            results.append(CanaryVerdict.CheckResult(expression: check.check.source, severity: check.check.severity, look: look))
        }
        var unpaired: [CanaryEvent.Arm: Int]?
        if config.mode == .shadow {
            unpaired = Dictionary(grouping: state.pending.values, by: \.arm).mapValues(\.count)
        }
        return CanaryVerdict(verdict: verdict(of: results), looks: state.looks, checks: results, unpaired: unpaired)
    }

    /// Shadow mode: holds an event until its request arrives from the other arm, then adds
    /// the pair's canary − baseline difference to every check that both sides carry.
    static func pair(_ event: CanaryEvent, config: CanaryConfig, state: inout CanaryState) throws(TollgateError) {
        guard let id = event.requestId else {
            throw TollgateError(.dataset, "mode: shadow pairs events by request_id, and a \(event.arm.rawValue) event at ts \(event.time) has none")
        }
        guard let other = state.pending[id] else {
            state.pending[id] = event
            return
        }
        guard other.arm != event.arm else {
            throw TollgateError(
                .dataset, "request_id '\(id)' appears twice for the \(event.arm.rawValue) arm; in shadow mode each request appears once per arm")
        }
        state.pending[id] = nil
        let (baseline, canary) = event.arm == .canary ? (other, event) : (event, other)
        for (index, check) in config.checks.enumerated() {
            if case .quantileMs = check.metric {
                guard let b = baseline.latencyMs, let c = canary.latencyMs else { continue }
                try observe(baseline: b, canary: c, check: check, index: index, config: config, state: &state)
                continue
            }
            let difference: Double?
            if check.metric == .disagreementRate {
                difference = baseline.prediction.flatMap { b in canary.prediction.map { $0 == b ? 0 : 1 } }
            } else if let b = try value(of: check, in: baseline), let c = try value(of: check, in: canary) {
                difference = c - b
            } else {
                difference = nil
            }
            if let difference { state.checks[index].paired.add(difference) }
        }
    }

    /// Any blocking fail rolls back; promotion needs every blocking check passed; an
    /// inconclusive blocking check (the horizon reached undecided or under-sampled) makes the
    /// look inconclusive; otherwise (waiting for data, or undecided before the horizon) continue.
    static func verdict(of results: [CanaryVerdict.CheckResult]) -> CanaryVerdict.Verdict {
        let blocking = results.filter { $0.severity == .block }.map(\.look.outcome)
        if blocking.contains(.fail) { return .fail }
        if !blocking.isEmpty, blocking.allSatisfy({ $0 == .pass }) { return .pass }
        if blocking.contains(.inconclusive) { return .inconclusive }
        return .continue
    }

    /// The per-event value a check compares, or nil when the event does not carry it.
    static func value(of check: CanaryCheck, in event: CanaryEvent) throws(TollgateError) -> Double? {
        switch check.metric {
        case .errorRate: return event.isError.map { $0 ? 1 : 0 }
        case .meanMs: return event.latencyMs.map { log($0) }
        case .accuracy:
            guard let prediction = event.prediction, let label = event.label else { return nil }
            return prediction == label ? 1 : 0
        case .mean(let field): return event.fields[field]
        case .rate(let field):
            guard let value = event.fields[field] else { return nil }
            guard value == 0 || value == 1 else {
                throw TollgateError(
                    .dataset, "\(check.check.source): '\(field)' is \(value) in a \(event.arm.rawValue) event at ts \(event.time); rate(FIELD) needs 0/1 values"
                )
            }
            return value
        case .disagreementRate, .quantileMs: return nil
        }
    }

    /// Latencies held per quantile check before its threshold is frozen; beyond this a look is
    /// an error rather than unbounded memory (the baseline arm is nearly silent).
    static let maximumBurnIn = 1_000_000

    /// Quantile checks: latencies are held until the baseline has `min_samples` of them; then
    /// the baseline's q-quantile Q̂ of those latencies (NumPy's linear interpolation) and the
    /// threshold L = slope · Q̂ + offset are frozen in the state. From then on the check is a
    /// two-sample comparison of exceedance shares: the canary's share above L against the share
    /// of *later* baseline latencies above Q̂ (unpaired; per request in shadow mode), at margin 0.
    ///
    /// Why later baseline latencies: the share above an estimated quantile is not 1 − q but
    /// (n(1 − q) + 1)/(n + 1) on average, with sd ≈ √(q(1 − q)/n); testing the canary against
    /// 1 − q therefore fails identical canaries far more often than α. Baseline latencies that
    /// arrive after Q̂ is frozen are independent of it, so conditional on Q̂ both shares estimate
    /// a tail probability at the same point, and if the canary is the baseline scaled by `slope`
    /// (or shifted by `offset`) the two are equal: the boundary of the check, exactly.
    /// The burn-in baseline latencies, which made Q̂, are not counted; in canary mode the
    /// burn-in canary latencies are (they are independent of Q̂); in shadow mode a burn-in pair
    /// is dropped with its baseline half.
    static func observe(baseline: Double?, canary: Double?, check: CanaryCheck, index: Int, config: CanaryConfig, state: inout CanaryState)
        throws(TollgateError)
    {
        guard case .quantileMs(let q) = check.metric else { return }
        var arms = state.checks[index]
        defer { state.checks[index] = arms }
        if let threshold = arms.threshold, let quantile = arms.baselineQuantile {
            add(baseline: baseline, canary: canary, quantile: quantile, threshold: threshold, shadow: config.mode == .shadow, to: &arms)
            return
        }
        if let baseline { arms.burnInBaseline.append(baseline) }
        if let canary { arms.burnInCanary.append(canary) }
        guard arms.burnInCanary.count <= maximumBurnIn else {
            throw TollgateError(
                .dataset,
                "\(check.check.source): \(maximumBurnIn) canary latencies arrived before \(config.statistics.minSamples) baseline ones; is the baseline arm receiving traffic?"
            )
        }
        guard arms.burnInBaseline.count >= config.statistics.minSamples else { return }
        let quantile = PairedBootstrap.percentile(arms.burnInBaseline.sorted(), q * 100)
        let threshold = check.thresholdSlope * quantile + check.thresholdOffset
        arms.baselineQuantile = quantile
        arms.threshold = threshold
        if config.mode == .canary {
            for c in arms.burnInCanary { arms.canary.add(c > threshold ? 1 : 0) }
        }
        arms.burnInBaseline = []
        arms.burnInCanary = []
    }

    private static func add(baseline: Double?, canary: Double?, quantile: Double, threshold: Double, shadow: Bool, to arms: inout CanaryState.CheckState) {
        let b: Double? = baseline.map { $0 > quantile ? 1 : 0 }
        let c: Double? = canary.map { $0 > threshold ? 1 : 0 }
        if shadow {
            if let b, let c { arms.paired.add(c - b) }
            return
        }
        if let b { arms.baseline.add(b) }
        if let c { arms.canary.add(c) }
    }
}
