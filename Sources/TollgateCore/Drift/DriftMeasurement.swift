/// The drift of the evaluation data from the reference data. It belongs to the data, not to a
/// version: measured once per run, merged into every version's metrics, and the same for every
/// candidate's drift checks.
struct DriftMeasurement {
    /// One drift column: its values in the reference data and in the evaluation data.
    struct Column {
        var name: String
        var reference: DriftColumnValues
        var current: DriftColumnValues
    }

    var columns: [Column] = []
    /// Each column's scores, test and verdict.
    var columnDrift: [ColumnDrift] = []
    /// `psi[age]`, `drift_score[age]`, `drifted[age]` … and `drifted_share`.
    var metrics: [String: Double] = [:]
    /// Each column's resampled distances (`psi[age]` → values), drawn once for every check and
    /// `--intervals`; empty unless asked for.
    var samples: [String: [Double]] = [:]

    /// `psi[age]` → its 95% interval, for `--intervals`.
    var intervals: [String: [Double]] { DriftIntervals.intervals(samples) }

    /// The reference data's drift columns, read whole before the evaluation pass (which collects
    /// the same columns of the evaluation data), when a drift check asks for them.
    static func reference(for config: GateConfig) throws(TollgateError) -> (columns: [String], values: [DriftColumnValues])? {
        guard config.checks.contains(where: { $0.suite == .drift }), let path = config.dataset.referencePath else { return nil }
        return try DriftCollector.reference(
            path: path, namedAt: config.dataset.referenceLocation, columns: config.driftColumns,
            excluding: [config.dataset.idColumn, config.dataset.labelColumn])
    }

    /// Scores every column, and resamples the distances when `resample` is set.
    /// - Parameter current: the evaluation data's values, in the order of `reference.columns`.
    static func measure(
        reference: (columns: [String], values: [DriftColumnValues])?, current: [DriftColumnValues], checks: [Check],
        settings: PairedBootstrap.Settings, resample: Bool
    ) -> DriftMeasurement {
        guard let reference else { return DriftMeasurement() }
        var out = DriftMeasurement()
        out.columns = zip(reference.columns, zip(reference.values, current)).map { Column(name: $0, reference: $1.0, current: $1.1) }
        let wanted = Set(checks.filter { $0.suite == .drift }.map(\.subject.metric))
        out.columnDrift = out.columns.map { ColumnDrift.compute(column: $0.name, reference: $0.reference, current: $0.current, wanted: wanted) }
        out.metrics = DriftChecks.metrics(out.columnDrift)
        if resample { out.samples = DriftIntervals.samples(out.columns, settings: settings) }
        return out
    }
}
