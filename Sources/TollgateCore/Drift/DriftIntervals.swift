/// Bootstrap intervals of the drift distances (PSI, Jensen–Shannon, normalised Wasserstein).
///
/// The reference and the evaluation data are different rows, so each resample draws both
/// samples anew, independently, and the distance is recomputed by the code that measured it
/// (binning included). Each column has its own seeded stream: resample b draws the reference's
/// n indices, then the current data's m. The drift tests' p-values get no interval: a p-value
/// is already the test's statement about sampling noise.
enum DriftIntervals {
    /// Each resample's distances for one column, keyed `psi`, `js_distance` (and
    /// `wasserstein_norm` for a numerical column); NaN resamples dropped.
    static func samples(reference: DriftColumnValues, current: DriftColumnValues, settings: PairedBootstrap.Settings) -> [String: [Double]] {
        var random = SplitMix64(seed: settings.seed)
        func draw(_ count: Int) -> [Int] { (0..<count).map { _ in Int(random.next(below: UInt64(count))) } }
        var out: [String: [Double]] = [:]
        for _ in 0..<settings.resamples {
            let r = draw(reference.count)
            let c = draw(current.count)
            for (name, value) in distances(reference.picking(r), current.picking(c)) where !value.isNaN { out[name, default: []].append(value) }
        }
        return out
    }

    /// The distances `ColumnDrift.compute` reports, without its (costlier) tests.
    static func distances(_ reference: DriftColumnValues, _ current: DriftColumnValues) -> [String: Double] {
        let shares: (reference: [Double], current: [Double])
        var out: [String: Double] = [:]
        switch (reference, current) {
        case (.numbers(let r), .numbers(let c)):
            shares = DriftBinning.shares(reference: r, current: c)
            out["wasserstein_norm"] = DistributionDistances.wassersteinNormed(reference: r, current: c)
        default:
            shares = DriftBinning.shares(reference: reference.text, current: current.text)
        }
        out["psi"] = DistributionDistances.psi(shares.reference, shares.current)
        out["js_distance"] = DistributionDistances.jensenShannon(shares.reference, shares.current)
        return out
    }

    /// Every column's resampled distances, `psi[age]` → values: drawn once for all checks.
    static func samples(_ columns: [DriftMeasurement.Column], settings: PairedBootstrap.Settings) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for column in columns {
            for (name, values) in samples(reference: column.reference, current: column.current, settings: settings) { out["\(name)[\(column.name)]"] = values }
        }
        return out
    }

    /// `psi[age]` → interval, for `--intervals`.
    static func intervals(_ samples: [String: [Double]], level: Double = 0.95) -> [String: [Double]] {
        samples.mapValues { values in
            let (lo, hi) = PairedBootstrap.interval(values, level: level)
            return [lo, hi]
        }
    }

    /// Decides `psi[*] < 0.2 @ 95%`: every named column's interval must clear the threshold.
    static func decide(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, level: Double,
        columns: [(name: String, numerical: Bool)], samples: [String: [Double]], settings: PairedBootstrap.Settings,
        into result: inout CheckResult
    ) {
        let metric = check.subject.metric
        let threshold = expression.evaluate(champion: nil)
        let slice = check.subject.slice ?? []
        var units: [IntervalDecision.Unit] = []
        var undefined: [String] = []
        for column in columns where slice == ["*"] || slice.contains(column.name) {
            if metric == "wasserstein_norm", !column.numerical { continue }
            let name = "\(metric)[\(column.name)]"
            let values = samples[name] ?? []
            guard !values.isEmpty else {
                undefined.append(name)
                continue
            }
            let (lo, hi) = PairedBootstrap.interval(values, level: level)
            units.append(.init(name: name, lo: lo - threshold, hi: hi - threshold, dropped: settings.resamples - values.count))
        }
        let method =
            "\(Formatting.decimal(level * 100))% bootstrap interval over \(settings.resamples) resamples of both the reference and the evaluation data:"
        IntervalDecision.decide(check, op, expression, units: units, undefined: undefined, method: method, into: &result)
    }

}

extension DriftColumnValues {
    var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .categories(let v), .numbersAsText(let v): v.count
        }
    }

    /// The values at `indices`, repeats included.
    func picking(_ indices: [Int]) -> DriftColumnValues {
        switch self {
        case .numbers(let v): .numbers(indices.map { v[$0] })
        case .categories(let v): .categories(indices.map { v[$0] })
        case .numbersAsText(let v): .numbersAsText(indices.map { v[$0] })
        }
    }
}
