/// One thing the evaluation pass measures: it is handed rows one at a time and finished once.
///
/// The pass holds each accumulator by its concrete type and calls it directly, so a row costs
/// no dynamic dispatch; the protocol states the shape they share and lets a test drive any of
/// them the same way. `Row` is the reader itself for what looks at every dataset row's cells
/// (schema, drift), and a `JoinedRow` for what looks at the rows every version predicted.
protocol RowAccumulator {
    associatedtype Row
    associatedtype Value
    mutating func add(_ row: Row) throws(TollgateError)
    /// What the rows added so far measure.
    consuming func finish() throws(TollgateError) -> Value
}

/// A dataset row every version has a prediction for, as the pass hands it on.
///
/// Both buffers are valid only during the `add` call: the streams reuse their storage.
struct JoinedRow {
    /// The class index (binary: 0 or 1) or, for regression, the target value.
    var label: Double
    /// `predictions[v]` is version `v`'s, laid out as its stream's `PredictionLayout` says.
    var predictions: UnsafeBufferPointer<UnsafeBufferPointer<Double>>

    var versionCount: Int { predictions.count }
}
