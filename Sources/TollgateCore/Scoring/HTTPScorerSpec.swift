/// `scorer: {http: {...}}` in `version.yaml`: where the served model is and how to talk to it.
public struct HTTPScorerSpec: Sendable, Equatable {
    /// The wire format of a served model.
    public enum InferenceProtocol: String, Sendable, Equatable, CaseIterable {
        /// Open Inference Protocol v2 (MLServer, KServe, Triton): `POST /v2/models/{model}/infer`.
        case oipV2 = "oip-v2"
        /// `mlflow models serve`: `POST /invocations` with `dataframe_split`.
        case mlflow
    }

    /// A header sent with every request; `value` may hold `${VAR}`, expanded only when sending.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The base URL, as written (no credentials: those go in headers).
    public var url: String
    public var inferenceProtocol: InferenceProtocol
    /// oip-v2: the served model's name.
    public var model: String?
    public var modelVersion: String?
    /// oip-v2: the one input tensor, `[batch, n_features]`.
    public var inputName: String = "input-0"
    public var inputDatatype: String = "FP64"
    /// oip-v2: the output to read; nil reads the first output.
    public var output: String?
    public var batchSize: Int = 64
    /// Requests in flight for this version.
    public var concurrency: Int = 4
    /// Seconds per request.
    public var timeout: Double = 10
    /// Seconds to wait for the server to say it is ready before scoring.
    public var readyTimeout: Double = 30
    public var headers: [Header] = []
    /// What the scores come from beyond the URL, for the score cache's key: an MLflow version's
    /// server, name, version, run and files (`MLflowRegistry`); nil for a folder's version.
    public var identity: String? = nil
    /// Where `version.yaml` declares the scorer.
    public var location: SourceLocation

    public init(url: String, inferenceProtocol: InferenceProtocol, location: SourceLocation) {
        self.url = url
        self.inferenceProtocol = inferenceProtocol
        self.location = location
    }
}

/// `scorer: {command: [python3, score.py], timeout: 10m}` in `version.yaml`.
public struct CommandScorerSpec: Sendable, Equatable {
    /// The program and its arguments; no shell is involved.
    public var arguments: [String]
    /// The folder the program runs in: the version's folder.
    public var workingDirectory: String
    /// Seconds the whole run may take before the child is killed.
    public var timeout: Double = 600
    public var location: SourceLocation

    public init(arguments: [String], workingDirectory: String, location: SourceLocation) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.location = location
    }
}
