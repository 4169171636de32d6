/// The three-way rule of every `@ 95%` check, whichever resampling made the intervals: pass
/// when each unit's interval of (value − threshold) clears zero, fail when one misses it
/// altogether, inconclusive otherwise.
enum IntervalDecision {
    /// One interval of (value − threshold): a metric's, or one group's.
    struct Unit {
        var name: String
        var lo: Double
        var hi: Double
        /// Resamples on which the value was undefined.
        var dropped = 0
    }

    /// Passes when every unit's interval clears the threshold, fails when one misses it
    /// altogether, and is inconclusive otherwise or when groups too small to trust are left out.
    static func decide(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, units: [Unit], undefined: [String],
        small: [String] = [], minGroupSize: Int = 0, method intro: String, into result: inout CheckResult
    ) {
        let lower = op == .greater || op == .greaterOrEqual
        let subject = (units.map(\.name) + undefined)
        func clears(_ u: Unit) -> Bool { lower ? (op == .greater ? u.lo > 0 : u.lo >= 0) : (op == .less ? u.hi < 0 : u.hi <= 0) }
        func misses(_ u: Unit) -> Bool { lower ? u.hi < 0 : u.lo > 0 }
        // The unit that decides: the first that misses, else the one closest to the threshold.
        let missing = units.filter(misses)
        let deciding = missing.first ?? units.min { lower ? $0.lo < $1.lo : $0.hi > $1.hi }
        let thresholdShift = expression.mentionsChampion ? 0 : (result.threshold ?? 0)
        if let deciding { result.interval = [deciding.lo + thresholdShift, deciding.hi + thresholdShift] }
        func describe(_ u: Unit) -> String {
            let subject = expression.mentionsChampion ? "\(u.name) − (\(expression))" : "\(u.name) − \(expression)"
            return
                "\(subject) is [\(Formatting.decimal(u.lo)), \(Formatting.decimal(u.hi))]\(u.dropped > 0 ? " (\(u.dropped) resamples undefined, dropped)" : "")"
        }
        let smallNote = small.isEmpty ? "" : "; \(small.joined(separator: ", ")) (minimum \(minGroupSize))"
        let disparity = MetricCatalog.isDisparity(check.subject.metric)
        if disparity && !small.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(intro) \(units.map(describe).joined(separator: "; ")), but it compares groups too small to trust\(smallNote)"
        } else if !missing.isEmpty {
            result.outcome = ThresholdCheck.failed(check)
            let which = subject.count > 1 ? "\(missing.count) of \(subject.count) groups miss \(op.rawValue) 0: " : ""
            result.message = "\(intro) \(which)\(missing.map(describe).joined(separator: "; "))\(subject.count > 1 ? "" : ": misses \(op.rawValue) 0")"
        } else if units.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(check.subject.key) is undefined on every resample\(smallNote)"
        } else if !undefined.isEmpty || !units.allSatisfy(clears) {
            result.outcome = .inconclusive
            let straddling = units.filter { !clears($0) }
            let parts = straddling.map(describe) + undefined.map { "\($0) is undefined on every resample" }
            result.message = "\(intro) \(parts.joined(separator: "; ")): it straddles 0, so the data cannot tell\(smallNote)"
        } else if !small.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(intro) \(describe(deciding!)) clears \(op.rawValue) 0, but groups too small to trust are left out\(smallNote)"
        } else {
            result.outcome = .pass
            let which = subject.count > 1 ? "all \(subject.count) groups clear \(op.rawValue) 0; the closest: " : ""
            result.message = "\(intro) \(which)\(describe(deciding!))\(subject.count > 1 ? "" : ": clears \(op.rawValue) 0")"
        }
    }

}
