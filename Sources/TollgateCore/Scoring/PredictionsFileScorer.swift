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
