/// The kept rows as one candidate's checks see them: what to recompute, for the candidate
/// and its champion, on each bootstrap resample.
struct Resampling {
    var task: Task
    var rows: KeptRows
    /// Indexes into `rows.predictions`.
    var candidate: Int
    var champion: Int
    var threshold: Double
    var classCount: Int
    var fairness: FairnessOptions
    var settings: PairedBootstrap.Settings

    var rowCount: Int { rows.labels.count }

    /// A check's subject on a resample: one value per unit the check is decided on — one for
    /// a metric, a disparity or a worst group; one per group for `recall[age_band]`.
    struct Subject {
        /// What each unit is called in messages: `recall[age_band=<25]`.
        var units: [String]
        /// Groups below the minimum size, left out of the units: `age_band=60+ has 21 rows`.
        var small: [String]
        /// The values of the units on a resample, for a version.
        var values: (_ version: Int) -> (UnsafeBufferPointer<UInt32>) -> [Double]
    }

    /// Nil when the check names a slice the rows do not carry.
    func subject(of subject: Check.Subject) -> Subject? {
        let metric = subject.metric
        guard let sliceColumns = subject.slice else {
            return Subject(units: [metric], small: []) { v in
                let resampled = ResampledMetrics.make(
                    metric, task: task, labels: rows.labels, predictions: rows.version(v), threshold: threshold, classCount: classCount)
                return { [resampled.value($0)] }
            }
        }
        guard let slice = rows.slices.first(where: { $0.columns == sliceColumns }) else { return nil }
        let groups = slice.values.indices.sorted { slice.values[$0].lexicographicallyPrecedes(slice.values[$1]) }
        let large = groups.filter { slice.counts[$0] >= fairness.minGroupSize }
        let small = groups.filter { slice.counts[$0] < fairness.minGroupSize }.map { "\(slice.labels[$0]) has \(slice.counts[$0]) rows" }
        if MetricCatalog.isDisparity(metric) {
            let key = subject.key
            return Subject(units: [key], small: small) { v in
                let fairness = ResampledFairness(slice, self, version: v)
                return { [fairness.values($0)[key] ?? .nan] }
            }
        }
        if let aggregate = subject.aggregate {
            return Subject(units: ["\(aggregate.rawValue)(\(subject.key))"], small: small) { v in
                let grouped = GroupedResampledMetric(metric, groups: large, of: slice, self, version: v)
                return { w in
                    let values = grouped.values(w).filter { !$0.isNaN }
                    return [aggregate.of(values) ?? .nan]
                }
            }
        }
        return Subject(units: large.map { "\(metric)[\(slice.labels[$0])]" }, small: small) { v in
            let grouped = GroupedResampledMetric(metric, groups: large, of: slice, self, version: v)
            return { grouped.values($0) }
        }
    }

    /// 95% percentile intervals of every value the bootstrap can recompute for `version`: the
    /// task's metrics, each of them per group of every slice, and each slice's disparities.
    func intervals(version v: Int, level: Double = 0.95) -> [String: [Double]] {
        var statistics: [(keys: [String], values: (UnsafeBufferPointer<UInt32>) -> [Double])] = []
        let names = ResampledMetrics.names(for: task).sorted()
        for name in names {
            let metric = ResampledMetrics.make(
                name, task: task, labels: rows.labels, predictions: rows.version(v), threshold: threshold, classCount: classCount)
            statistics.append(([name], { [metric.value($0)] }))
        }
        for slice in rows.slices {
            let groups = Array(slice.values.indices)
            for name in names {
                let grouped = GroupedResampledMetric(name, groups: groups, of: slice, self, version: v)
                statistics.append((groups.map { "\(name)[\(slice.labels[$0])]" }, grouped.values))
            }
            guard task == .binary else { continue }
            let fairness = ResampledFairness(slice, self, version: v)
            let keys =
                FairnessMetrics.names.filter { $0 != "disparate_impact" }.map { "\($0)[\(slice.key)]" }
                + ["disparate_impact[\(slice.key)]"] + slice.labels.map { "disparate_impact[\($0)]" }
            statistics.append(
                (
                    keys,
                    { w in
                        let values = fairness.values(w)
                        return keys.map { values[$0] ?? .nan }
                    }
                ))
        }
        var samples: [String: [Double]] = [:]
        PairedBootstrap.forEachResample(rows: rowCount, settings: settings) { w in
            for statistic in statistics {
                for (key, value) in zip(statistic.keys, statistic.values(w)) where !value.isNaN { samples[key, default: []].append(value) }
            }
        }
        var result: [String: [Double]] = [:]
        for statistic in statistics {
            for key in statistic.keys {
                let values = samples[key] ?? []
                if values.isEmpty {
                    result[key] = [.nan, .nan]
                } else {
                    let (lo, hi) = PairedBootstrap.interval(values, level: level)
                    result[key] = [lo, hi]
                }
            }
        }
        return result
    }
}
