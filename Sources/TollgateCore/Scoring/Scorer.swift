import Foundation

/// How a version's predictions are obtained: a precomputed file today; an in-process model or
/// an HTTP endpoint later, behind the same seam.
public protocol Scorer {
    /// Opens the version's predictions for the dataset's rows, joined by id.
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
}

/// The predictions scorer: `scorer: {predictions: FILE}` in `version.yaml`.
public struct PredictionsFileScorer: Scorer {
    public let path: String
    public let location: SourceLocation

    public init(path: String, location: SourceLocation) {
        self.path = path
        self.location = location
    }

    public func predictions(for dataset: DatasetSpec) throws(TollgateError) -> any PredictionStream {
        guard FileManagerShim.fileExists(path) else {
            throw TollgateError(.predictions, at: location, "predictions file not found: \(path)")
        }
        return try PredictionJoin(path: path, dataset: dataset, namedAt: location)
    }
}


enum FileManagerShim {
    static func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
