import TollgateCore

extension CanaryAnalysisRecord {
    /// The rules an imported look must meet, the ones `tollgate canary` meets by construction:
    /// printable names, a known verdict and outcomes, counts that cannot be negative. An
    /// interval's ends may cross: an empty running intersection is recorded as it was judged.
    func validate(at location: SourceLocation) throws(TollgateError) {
        func fail(_ message: String) -> TollgateError { TollgateError(.history, at: location, message) }
        try HistoryEvent.name(analysis, "analysis", at: location)
        try HistoryEvent.name(mode, "mode", at: location)
        if let baseline { try HistoryEvent.name(baseline, "baseline", at: location) }
        if let canary { try HistoryEvent.name(canary, "canary", at: location) }
        guard ["canary", "shadow"].contains(mode) else { throw fail("expected 'mode' canary or shadow, found '\(HistoryEvent.printable(mode))'") }
        guard Self.verdicts.contains(verdict) else {
            throw fail("expected 'verdict' one of \(Self.verdicts.joined(separator: ", ")), found '\(HistoryEvent.printable(verdict))'")
        }
        guard look >= 1 else { throw fail("expected 'look' of at least 1, found \(look)") }
        guard baselineEvents >= 0, canaryEvents >= 0 else { throw fail("expected non-negative 'baseline_events' and 'canary_events'") }
        for (i, check) in checks.enumerated() {
            let key = "checks[\(i)]"
            try HistoryEvent.name(check.expression, "\(key).expression", at: location)
            guard ["block", "warn"].contains(check.severity) else {
                throw fail("expected '\(key).severity' block or warn, found '\(HistoryEvent.printable(check.severity))'")
            }
            guard ["increase", "decrease"].contains(check.badDirection) else {
                throw fail("expected '\(key).bad_direction' increase or decrease, found '\(HistoryEvent.printable(check.badDirection))'")
            }
            guard Self.verdicts.contains(check.outcome) else {
                throw fail("expected '\(key).outcome' one of \(Self.verdicts.joined(separator: ", ")), found '\(HistoryEvent.printable(check.outcome))'")
            }
            guard check.nBaseline >= 0, check.nCanary >= 0 else { throw fail("expected non-negative counts in '\(key)'") }
            if let p = check.pValue, !(0...1).contains(p) { throw fail("expected '\(key).p_value' in [0, 1], found \(p)") }
            if check.reason.unicodeScalars.contains(where: { $0.value == 0 }) { throw fail("'\(key).reason' contains a NUL character") }
        }
    }
}
