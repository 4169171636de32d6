/// Looks a dataset row's id up in every version's prediction stream, and counts how many
/// rows each version covers.
///
/// The looked-up predictions sit in one buffer allocated up front, so joining a row
/// allocates nothing; a `JoinedRow` points into it until the next `join`.
struct RowJoiner: ~Copyable {
    private let streams: [any PredictionStream]
    private let predictions: UnsafeMutableBufferPointer<UnsafeBufferPointer<Double>>
    /// Per version: dataset rows it has a prediction for.
    private(set) var covered: [Int]

    init(_ streams: [any PredictionStream]) {
        self.streams = streams
        predictions = .allocate(capacity: streams.count)
        predictions.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
        covered = [Int](repeating: 0, count: streams.count)
    }

    deinit { predictions.deallocate() }

    /// The row joined with every version's prediction, or nil when a version lacks it (the
    /// dataset allows missing ids, and the row is not evaluated).
    @inline(__always)
    mutating func join(
        id: UnsafeRawBufferPointer, label: Double, at location: @autoclosure () -> SourceLocation
    ) throws(TollgateError) -> JoinedRow? {
        var complete = true
        for v in streams.indices {
            if let prediction = try streams[v].prediction(forID: id, at: location()) {
                predictions[v] = prediction
                covered[v] += 1
            } else {
                complete = false
            }
        }
        return complete ? JoinedRow(label: label, predictions: UnsafeBufferPointer(predictions)) : nil
    }
}
