import Foundation

/// How one version's predictions are obtained: a precomputed file today; an in-process model
/// or an HTTP endpoint later, behind the same seam. The gate opens every version's predictions
/// through a scorer made by `ScorerFactory`, and reads them as one `PredictionStream`.
public protocol Scorer {
    /// The version's prediction rows for the dataset's rows, looked up by id in dataset order.
    func predictions(for dataset: DatasetSpec) throws(TollgateError) -> any PredictionStream
}

/// The predictions of one version, looked up row by row in dataset order.
public protocol PredictionStream: AnyObject {
    var layout: PredictionLayout { get }
    /// The prediction for the row with this id, or nil when it has none and the dataset allows
    /// missing ids. The buffer is valid until the next lookup.
    func prediction(forID id: UnsafeRawBufferPointer, at location: @autoclosure () -> SourceLocation) throws(TollgateError) -> UnsafeBufferPointer<Double>?
    /// Called after the last dataset row: reports ids the dataset never asked for.
    func finish(datasetContains: (String) -> Bool) throws(TollgateError)
    /// How the join ran: `lockstep` (same order, constant memory) or `hash`.
    var joinStrategy: String { get }
    var sha256: String? { get }
    var path: String { get }
    /// How a live scorer obtained these predictions, for the report; nil for a predictions file.
    var scoring: ScoringReport? { get }
}

extension PredictionStream {
    public var scoring: ScoringReport? { nil }
}

enum FileManagerShim {
    static func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
