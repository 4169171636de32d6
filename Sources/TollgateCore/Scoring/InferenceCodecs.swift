/// The codec of a served model's protocol.
public enum InferenceCodecs {
    /// - Parameter environment: where `${VAR}` in the headers are read from: pass the process's
    ///   environment when the requests are about to be made, never earlier.
    public static func make(
        _ spec: HTTPScorerSpec, dataset: DatasetSpec, features: FeatureColumns, environment: [String: String]
    ) throws(TollgateError) -> any InferenceCodec {
        switch spec.inferenceProtocol {
        case .oipV2: try OIPv2Codec(spec: spec, dataset: dataset, features: features, environment: environment)
        case .mlflow: try MLflowCodec(spec: spec, dataset: dataset, environment: environment)
        }
    }
}
