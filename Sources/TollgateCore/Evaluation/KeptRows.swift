/// Row-aligned labels, predictions and groups, kept so that a bootstrap can recompute any
/// metric on a resample without reading the data again.
struct KeptRows: Sendable, Equatable {
    var labels: [Double]
    /// Per version, in the order the versions were given, `widths[v]` values a row: the
    /// score, the value, each class's probability, or the predicted class.
    var predictions: [[Double]]
    var widths: [Int]
    /// The slices the checks name, in the order of `Evaluator.Options.slices`.
    var slices: [KeptSlice] = []

    /// Version `v`'s predictions on its own, as the resampled metrics take them.
    func version(_ v: Int) -> ResampledMetrics.Predictions {
        ResampledMetrics.Predictions(values: predictions[v], width: widths[v])
    }
}

/// Which group of one slice each kept row belongs to.
struct KeptSlice: Sendable, Equatable {
    var columns: [String]
    /// `sex, age_band`, as check subjects name the slice.
    var key: String { columns.joined(separator: ", ") }
    /// Row → group number, groups numbered in order of first appearance.
    var groupOfRow: [UInt32]
    /// By group number: `sex=female, age_band=<25`.
    var labels: [String]
    var values: [[String]]
    /// By group number: rows in the whole evaluation, which the minimum group size applies to.
    var counts: [Int]
}
