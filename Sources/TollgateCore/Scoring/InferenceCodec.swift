import Foundation

/// One feature value as a served model receives it: typed as the version's schema says, an
/// empty cell as `null`.
public enum FeatureValue: Sendable, Equatable {
    case number(Double)
    case integer(Int64)
    case string(String)
    case boolean(Bool)
    case null
}

/// Rows to score in one request: ids in dataset order, and their features in `columns` order.
public struct FeatureBatch: Sendable, Equatable {
    public var columns: [String]
    public var ids: [String]
    public var rows: [[FeatureValue]]

    public init(columns: [String], ids: [String], rows: [[FeatureValue]]) {
        self.columns = columns
        self.ids = ids
        self.rows = rows
    }
}

/// Why a response could not be read as scores; the load generator counts these by class.
public enum ScoreDecodeFailure: Error, Sendable, Equatable {
    /// Not the protocol's JSON (e.g. an HTML error page with status 200).
    case decode(String)
    /// The protocol's JSON, but not `rows` predictions of the expected layout (wrong length,
    /// wrong width, a NaN or a probability outside [0, 1], unknown classes).
    case shape(String)
}

/// Encodes feature rows as one inference request and decodes its response, for one protocol.
///
/// The live scorer and the open-loop load share it, so both send exactly the same requests.
public protocol InferenceCodec: Sendable {
    /// The URLs whose 200 means the model is ready, tried in order.
    var readinessURLs: [URL] { get }
    /// The request that scores `batch` (headers already expanded).
    func request(for batch: FeatureBatch) -> HTTPRequest
    /// One prediction per row, each laid out as the dataset's task expects
    /// (`PredictionLayout.score`, `.probabilities` or `.value`).
    func predictions(from response: HTTPResponse, rows: Int) throws(ScoreDecodeFailure) -> [[Double]]
}
