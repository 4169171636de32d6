/// One version's metric in each of some groups of a slice, on a resample.
///
/// Each group gets its own resampled metric built on its rows only, so everything that
/// metric precomputes (decisions, losses, the ranking by score) is per group too; a resample
/// then gathers the group's counts and scores them. A group the resample did not draw is NaN.
struct GroupedResampledMetric {
    private let members: [[Int32]]
    private let metrics: [any ResampledMetric]

    init(_ metric: String, groups: [Int], of slice: KeptSlice, _ context: Resampling, version: Int) {
        var rowsOf = [[Int32]](repeating: [], count: slice.labels.count)
        for (row, group) in slice.groupOfRow.enumerated() { rowsOf[Int(group)].append(Int32(row)) }
        members = groups.map { rowsOf[$0] }
        let predictions = context.rows.version(version)
        metrics = members.map { rows in
            ResampledMetrics.make(
                metric, task: context.task, labels: rows.map { context.rows.labels[Int($0)] }, predictions: predictions.subset(rows),
                threshold: context.threshold, classCount: context.classCount)
        }
    }

    func values(_ w: UnsafeBufferPointer<UInt32>) -> [Double] {
        var scratch: [UInt32] = []
        return members.indices.map { g in
            scratch.removeAll(keepingCapacity: true)
            var drawn = false
            for row in members[g] {
                let c = w[Int(row)]
                scratch.append(c)
                drawn = drawn || c > 0
            }
            return drawn ? scratch.withUnsafeBufferPointer { metrics[g].value($0) } : .nan
        }
    }
}

/// fairlearn's disparities and Aequitas' disparate impact of one slice, on a resample.
///
/// Groups the resample did not draw are left out, as fairlearn's bootstrap does; the
/// reference group stays the one of the whole evaluation, and a resample without it has no
/// disparate impact (NaN) rather than a different yardstick.
struct ResampledFairness {
    private let slice: KeptSlice
    private let positive: [Bool]
    private let decided: [Bool]
    /// Group numbers in the order the evaluation lists groups (sorted by their values).
    private let order: [Int]
    private let reference: String

    init(_ slice: KeptSlice, _ context: Resampling, version: Int) {
        self.slice = slice
        positive = context.rows.labels.map { $0 == 1 }
        decided = context.rows.version(version).values.map { $0 >= context.threshold }
        order = slice.values.indices.sorted { slice.values[$0].lexicographicallyPrecedes(slice.values[$1]) }
        let configured = slice.columns.count == 1 ? context.fairness.referenceGroups[slice.columns[0]] : nil
        reference = configured ?? slice.values[order[FairnessMetrics.largest(order.map { slice.counts[$0] })]].joined(separator: ", ")
    }

    /// Every scalar `FairnessMetrics.compute` gives, keyed as in the metrics map.
    func values(_ w: UnsafeBufferPointer<UInt32>) -> [String: Double] {
        var confusions = [BinaryConfusion](repeating: BinaryConfusion(), count: slice.labels.count)
        for i in positive.indices where w[i] > 0 {
            confusions[Int(slice.groupOfRow[i])].add(positive: positive[i], decided: decided[i], weight: Double(w[i]))
        }
        let groups = order.compactMap { g -> GroupEvaluation? in
            let confusion = confusions[g]
            let n = confusion.count
            guard n > 0 else { return nil }
            return GroupEvaluation(
                label: slice.labels[g], values: slice.values[g], count: Int(n),
                metrics: [
                    "selection_rate": confusion.value(.selectionRate), "recall": confusion.value(.recall),
                    "false_positive_rate": confusion.value(.falsePositiveRate)
                ])
        }
        var out = FairnessMetrics.compute(SliceEvaluation(columns: slice.columns, groups: groups), referenceGroup: reference)
        if !groups.contains(where: { $0.values.joined(separator: ", ") == reference }) {
            for key in out.keys where key.hasPrefix("disparate_impact[") { out[key] = .nan }
        }
        return out
    }
}
