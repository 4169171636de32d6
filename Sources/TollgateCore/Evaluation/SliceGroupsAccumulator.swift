/// Each version's metrics in every group of every slice the checks name, and, when rows are
/// kept, which group each kept row belongs to.
struct SliceGroupsAccumulator<Reader: TabularReader, Accumulator: MetricAccumulator>: RowAccumulator {
    struct Value {
        /// `slices[v]`: version `v`'s slices in the order they were asked for, groups sorted by value.
        var slices: [[SliceEvaluation]]
        /// `metrics[v]`: the same figures under metric keys (`count[sex=female]`,
        /// `recall[sex=female]`) and, for binary tasks, each slice's fairness metrics.
        var metrics: [[String: Double]]
        /// Each slice's group of every kept row; empty unless rows are kept.
        var kept: [KeptSlice]
    }

    /// The reader the pass advances: a row's group is read from its current record.
    private let reader: Reader
    private var keyers: [GroupKeyer] = []
    /// One fresh accumulator per version, copied for each group a version first meets.
    private let empty: [Accumulator]
    /// `grouped[version][slice][group]`
    private var grouped: [[[Accumulator]]]
    /// The current row's group in each slice (scratch, so a row allocates nothing).
    private var rowGroups: [Int]
    private let keepGroups: Bool
    private var keptGroups: [[UInt32]]
    /// Reference groups for the fairness metrics; nil when the task has none (not binary).
    private let fairness: FairnessOptions?

    init(slices: [[String]], reader: Reader, empty: [Accumulator], keepGroups: Bool, fairness: FairnessOptions?) throws(TollgateError) {
        for slice in slices { keyers.append(try GroupKeyer(columns: slice, in: reader)) }
        self.reader = reader
        self.empty = empty
        grouped = [[[Accumulator]]](repeating: [[Accumulator]](repeating: [], count: slices.count), count: empty.count)
        rowGroups = [Int](repeating: 0, count: slices.count)
        self.keepGroups = keepGroups
        keptGroups = [[UInt32]](repeating: [], count: keepGroups ? slices.count : 0)
        self.fairness = fairness
    }

    @inline(__always)
    mutating func add(_ row: JoinedRow) throws(TollgateError) {
        guard !keyers.isEmpty else { return }
        let sliceCount = keyers.count
        for s in 0..<sliceCount { rowGroups[s] = try keyers[s].group(of: reader) }
        if keepGroups { for s in 0..<sliceCount { keptGroups[s].append(UInt32(rowGroups[s])) } }
        for v in 0..<grouped.count {
            for s in 0..<sliceCount {
                let g = rowGroups[s]
                while grouped[v][s].count <= g { grouped[v][s].append(empty[v]) }
                grouped[v][s][g].add(label: row.label, prediction: row.predictions[v])
            }
        }
    }

    consuming func finish() throws(TollgateError) -> Value {
        var value = Value(slices: [], metrics: [], kept: keepGroups ? keptSlices() : [])
        for v in grouped.indices {
            var slices: [SliceEvaluation] = []
            var metrics: [String: Double] = [:]
            for s in keyers.indices {
                let slice = evaluation(of: s, version: v)
                for group in slice.groups {
                    metrics["count[\(group.label)]"] = Double(group.count)
                    for (name, value) in group.metrics { metrics["\(name)[\(group.label)]"] = value }
                }
                if let fairness {
                    let reference = try Self.referenceGroup(for: slice, fairness)
                    metrics.merge(FairnessMetrics.compute(slice, referenceGroup: reference)) { $1 }
                }
                slices.append(slice)
            }
            value.slices.append(slices)
            value.metrics.append(metrics)
        }
        return value
    }

    /// Version `v`'s groups of slice `s`, sorted by their values.
    private mutating func evaluation(of s: Int, version v: Int) -> SliceEvaluation {
        var groups: [GroupEvaluation] = []
        for g in grouped[v][s].indices {
            groups.append(
                GroupEvaluation(
                    label: keyers[s].label(g), values: keyers[s].groupValues[g], count: grouped[v][s][g].count,
                    metrics: grouped[v][s][g].metrics()))
        }
        groups.sort { $0.values.lexicographicallyPrecedes($1.values) }
        return SliceEvaluation(columns: keyers[s].columnNames, groups: groups)
    }

    /// Each slice's group of every kept row, groups numbered in order of first appearance.
    private func keptSlices() -> [KeptSlice] {
        keyers.indices.map { s in
            let groups = grouped[0][s].indices
            return KeptSlice(
                columns: keyers[s].columnNames, groupOfRow: keptGroups[s],
                labels: groups.map { keyers[s].label($0) }, values: groups.map { keyers[s].groupValues[$0] },
                counts: groups.map { grouped[0][s][$0].count })
        }
    }

    /// The configured reference group of a one-feature slice, checked to exist.
    private static func referenceGroup(for slice: SliceEvaluation, _ fairness: FairnessOptions) throws(TollgateError) -> String? {
        guard slice.columns.count == 1, let wanted = fairness.referenceGroups[slice.columns[0]] else { return nil }
        guard slice.groups.contains(where: { $0.values == [wanted] }) else {
            throw TollgateError(
                .config,
                "fairness.reference_groups names '\(wanted)' for '\(slice.columns[0])', but the evaluated rows have only: "
                    + slice.groups.map { $0.values[0] }.joined(separator: ", "))
        }
        return wanted
    }
}
