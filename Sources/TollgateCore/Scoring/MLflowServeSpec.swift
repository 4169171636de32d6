import Foundation

/// `mlflow:` in a gate config: whether, and how, Tollgate serves an MLflow registry's versions
/// itself with `mlflow models serve` (versions tagged `tollgate.scorer: mlflow-serve`, or with
/// no `tollgate.scorer` tag at all).
///
/// ```yaml
/// mlflow:
///   serve: true                 # default false: a version without a scorer tag is an error
///   command: [mlflow]           # the program and any leading arguments; default `mlflow` on PATH
///   env_manager: local          # local (default), virtualenv, uv or conda: mlflow's --env-manager
///   ready_timeout: 120s         # how long the server may take to answer GET /ping (default 120 s)
/// ```
public struct MLflowServeOptions: Sendable, Equatable {
    public var serve = false
    /// The `mlflow` program and any arguments before `models serve`.
    public var command: [String] = ["mlflow"]
    public var envManager = "local"
    /// Seconds until `GET /ping` must answer 200.
    public var readyTimeout: Double = 120
    /// Rows per request and requests in flight to the served model (one worker).
    public var batchSize = 64
    public var concurrency = 2
    /// The `mlflow:` block, and the line errors about starting the server point at.
    public var location: SourceLocation
    public var commandLocation: SourceLocation?
    public var readyTimeoutLocation: SourceLocation?

    public static let keys = ["serve", "command", "env_manager", "ready_timeout", "batch_size", "concurrency"]
    public static let envManagers = ["local", "virtualenv", "uv", "conda"]

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// One version served by `mlflow models serve` for the length of its scoring, then stopped.
public struct MLflowServeSpec: Sendable, Equatable {
    /// `models:/credit-risk/7`.
    public var modelURI: String
    /// The registry's server, given to the child as `MLFLOW_TRACKING_URI` (never credentials:
    /// those reach it through the environment it inherits).
    public var trackingURI: String
    public var options: MLflowServeOptions
    /// The HTTP scorer's spec (protocol mlflow); its `url` is replaced by the server's once started.
    public var http: HTTPScorerSpec
    /// `credit-risk@7`, for messages.
    public var label: String

    public init(modelURI: String, trackingURI: String, options: MLflowServeOptions, http: HTTPScorerSpec, label: String) {
        self.modelURI = modelURI
        self.trackingURI = trackingURI
        self.options = options
        self.http = http
        self.label = label
    }

    /// The command line, without a shell: `mlflow models serve -m models:/NAME/VERSION --env-manager
    /// local -h 127.0.0.1 -p PORT -w 1`.
    func arguments(port: Int) -> [String] {
        options.command + [
            "models", "serve", "-m", modelURI, "--env-manager", options.envManager, "-h", "127.0.0.1", "-p", String(port), "-w", "1"
        ]
    }
}

extension MLflowServeOptions {
    /// Parses the `mlflow:` block; a relative `command` path is the config folder's.
    static func parse(_ node: YAMLNode, baseDirectory: URL) throws(TollgateError) -> MLflowServeOptions {
        let fields = try node.fields(allowed: keys)
        var options = MLflowServeOptions(location: node.location)
        if let serve = fields["serve"] { options.serve = try serve.bool() }
        if let command = fields["command"] {
            var arguments = try command.stringList()
            guard let program = arguments.first, !program.isEmpty else {
                throw command.error("expected the mlflow program and any leading arguments, e.g. command: [mlflow]")
            }
            if program.contains("/"), !program.hasPrefix("/") {
                arguments[0] = baseDirectory.appendingPathComponent(program).standardizedFileURL.path
            }
            options.command = arguments
            options.commandLocation = command.contentLocation
        }
        if let manager = fields["env_manager"] {
            let name = try manager.string()
            guard envManagers.contains(name) else {
                throw manager.error(
                    "unknown env_manager '\(name)'\(NameSuggestion.hint(for: name, in: envManagers)); expected one of: \(envManagers.joined(separator: ", "))")
            }
            options.envManager = name
        }
        if let ready = fields["ready_timeout"] {
            options.readyTimeout = try ready.duration()
            guard options.readyTimeout > 0 else { throw ready.error("expected a timeout longer than zero") }
            options.readyTimeoutLocation = ready.contentLocation
        }
        if let size = fields["batch_size"] {
            options.batchSize = try size.int()
            guard (1...100_000).contains(options.batchSize) else { throw size.error("expected between 1 and 100000 rows per request") }
        }
        if let concurrency = fields["concurrency"] {
            options.concurrency = try concurrency.int()
            guard (1...256).contains(options.concurrency) else { throw concurrency.error("expected between 1 and 256 requests in flight") }
        }
        return options
    }
}
