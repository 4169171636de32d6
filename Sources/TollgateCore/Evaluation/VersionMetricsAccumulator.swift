/// Each version's metrics over the joined rows, one metric accumulator per version, and
/// DeLong's test of each version's ROC AUC against the first's when asked for.
struct VersionMetricsAccumulator<Accumulator: MetricAccumulator>: RowAccumulator {
    /// What one version measured over all joined rows.
    struct Measured {
        var metrics: [String: Double]
        var curves: Curves?
        /// Against the first version; nil for the first, and when not asked for or not binary.
        var delong: DeLongTest?
    }

    private var accumulators: [Accumulator]
    let delong: Bool

    /// - Parameter empty: one fresh accumulator per version, in the order of the versions.
    init(_ empty: [Accumulator], delong: Bool) {
        accumulators = empty
        self.delong = delong
    }

    @inline(__always)
    mutating func add(_ row: JoinedRow) {
        for v in 0..<accumulators.count { accumulators[v].add(label: row.label, prediction: row.predictions[v]) }
    }

    consuming func finish() -> [Measured] {
        // DeLong pairs rows across versions by position, so it runs before metrics() sorts.
        let tests = delong ? Self.delongTests(&accumulators) : []
        var values: [Measured] = []
        for v in accumulators.indices {
            let metrics = accumulators[v].metrics()
            values.append(Measured(metrics: metrics, curves: accumulators[v].curves(), delong: tests.isEmpty ? nil : tests[v]))
        }
        return values
    }

    /// Each candidate's test against the first version, for binary accumulators; empty otherwise.
    /// Hands every accumulator its keys ranked, so metrics() need not sort them again.
    private static func delongTests(_ accumulators: inout [Accumulator]) -> [DeLongTest?] {
        guard var binary = accumulators as? [BinaryAccumulator], binary.count > 1 else { return [] }
        var tests = [DeLongTest?](repeating: nil, count: binary.count)
        let championKeys = binary[0].scoreKeys
        let champion = ScorePlacements(keys: championKeys)
        for v in 1..<binary.count {
            let placements = ScorePlacements(keys: binary[v].scoreKeys)
            tests[v] = DeLongTest(candidateKeys: binary[v].scoreKeys, candidate: placements, championKeys: championKeys, champion: champion)
            binary[v].adoptRankedKeys(placements.sortedKeys)
        }
        binary[0].adoptRankedKeys(champion.sortedKeys)
        accumulators = binary as! [Accumulator]
        return tests
    }
}
