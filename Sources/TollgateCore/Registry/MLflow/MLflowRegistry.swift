import Foundation

/// An MLflow tracking server's model registry behind the `Registry` seam: `registry:
/// mlflow+http://host:port` in a config, the registered model's name as `model:`.
///
/// Versions map to `ModelVersion` as a folder's `version.yaml` does (see the README's "MLflow
/// registry"); the files the gate reads (predictions, latency samples, the model card, the model
/// file) are fetched through the server's artifact proxy into `cache`, so the rest of the gate
/// is the same for both kinds of registry.
public struct MLflowRegistry: Registry {
    /// The server, or why the config's URL could not name one (reported on first use).
    let opened: Result<MLflowClient, TollgateError>
    /// Where fetched artifacts are kept (`.tollgate/cache/mlflow` beside the config).
    public let cache: String
    /// The config's `registry:` line.
    public let location: SourceLocation?
    /// The config's `mlflow:` block: with `serve: true`, versions tagged `tollgate.scorer:
    /// mlflow-serve` or not tagged at all are served by `mlflow models serve` while they are scored.
    public var serve: MLflowServeOptions?
    /// Versions asked for per page of `model-versions/search` (MLflow's own default is 10,000,
    /// but a server may cap it lower; every page is followed).
    public var pageSize = 200

    public init(registry: String, environment: [String: String], cache: String, location: SourceLocation?) {
        self.cache = cache
        self.location = location
        do {
            opened = .success(MLflowClient(endpoint: try MLflowEndpoint(registry: registry, environment: environment, at: location), location: location))
        } catch {
            opened = .failure(error)
        }
    }

    var client: MLflowClient {
        get throws(TollgateError) { try opened.get() }
    }

    static let api = "/api/2.0/mlflow"

    public func model(_ name: String) throws(TollgateError) -> RegisteredModel {
        let client = try self.client
        let data = try client.require("\(Self.api)/registered-models/get", [("name", name)], what: "model '\(name)'")
        let model = try client.decode(MLflowRegisteredModelAnswer.self, data, from: "registered-models/get").registered_model
        var tags: [String: String] = [:]
        for tag in model.tags ?? [] { tags[tag.key] = tag.value ?? "" }
        var aliases: [String: String] = [:]
        for alias in model.aliases ?? [] { aliases[alias.alias] = alias.version }
        let owners = (tags["owner"] ?? tags["owners"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return RegisteredModel(
            name: model.name, description: model.description.flatMap { $0.isEmpty ? nil : $0 }, owners: owners, aliases: aliases,
            location: location ?? SourceLocation(file: client.endpoint.description), versions: try versions(of: name, client))
    }

    /// Every version of `name`, oldest first, page by page (`model-versions/search`).
    func versions(of name: String, _ client: MLflowClient) throws(TollgateError) -> [String] {
        var versions: [String] = []
        var token: String?
        // Bounded: a server that hands back the same token forever cannot hang the gate.
        for _ in 0..<1000 {
            var query = [("filter", "name='\(name.replacingOccurrences(of: "'", with: "\\'"))'"), ("max_results", String(pageSize))]
            if let token { query.append(("page_token", token)) }
            let data = try client.require("\(Self.api)/model-versions/search", query, what: "the versions of model '\(name)'")
            let page = try client.decode(MLflowVersionPage.self, data, from: "model-versions/search")
            versions += (page.model_versions ?? []).map(\.version)
            guard let next = page.next_page_token, !next.isEmpty else { return versions.sorted(by: VersionOrder.precedes) }
            token = next
        }
        throw TollgateError(.registry, at: location, "the MLflow server \(client.endpoint) kept paginating the versions of model '\(name)'")
    }

    /// The alias asked of the server (`registered-models/alias`), so an unknown one comes back in its words.
    public func aliasTarget(_ alias: String, of model: RegisteredModel, referencedAt reference: SourceLocation?) throws(TollgateError) -> String {
        try currentAlias(alias, of: model.name, at: reference, required: true)!
    }

    /// The version `alias` names now, or nil when it names none (unless `required`).
    func currentAlias(_ alias: String, of model: String, at reference: SourceLocation?, required: Bool) throws(TollgateError) -> String? {
        let client = try self.client
        switch try client.get("\(Self.api)/registered-models/alias", [("name", model), ("alias", alias)]) {
        case .ok(let data):
            return try client.decode(MLflowModelVersionAnswer.self, data, from: "registered-models/alias").model_version.version
        case .refused(let error):
            // MLflow answers an unknown alias with 400 INVALID_PARAMETER_VALUE "… alias X not found".
            let missing = error.isNotFound || (error.code == "INVALID_PARAMETER_VALUE" && (error.message ?? "").contains("not found"))
            if missing, !required { return nil }
            throw client.refusal(error, what: "alias '@\(alias)' of model '\(model)'", at: reference)
        }
    }

    public func holds(model name: String) throws(TollgateError) -> Bool {
        let client = try self.client
        switch try client.get("\(Self.api)/registered-models/get", [("name", name)]) {
        case .ok: return true
        case .refused(let error) where error.isNotFound: return false
        case .refused(let error): throw client.refusal(error, what: "model '\(name)'", at: nil)
        }
    }

    public func version(_ version: String, of model: RegisteredModel, referencedAt reference: SourceLocation?) throws(TollgateError) -> ModelVersion {
        let client = try self.client
        let at = reference ?? location
        let label = "\(model.name)@\(version)"
        let data = try client.require(
            "\(Self.api)/model-versions/get", [("name", model.name), ("version", version)], what: "version '\(version)' of model '\(model.name)'", at: at)
        let entry = try client.decode(MLflowModelVersionAnswer.self, data, from: "model-versions/get").model_version
        guard entry.status == nil || entry.status == "READY" else {
            throw TollgateError(.registry, at: at, "\(label) is not ready on \(client.endpoint) (status \(entry.status!))")
        }
        let tags = entry.tagValues
        let scorerTag: MLflowScorerTag
        if let scorerText = tags[MLflowScorerTag.key] {
            scorerTag = try MLflowScorerTag(parsing: scorerText, version: label, at: at)
        } else if serve?.serve == true {
            scorerTag = .serve
        } else {
            throw TollgateError(
                .registry, at: at,
                "\(label) has no \(MLflowScorerTag.key) tag: \(MLflowScorerTag.expected); or let Tollgate serve untagged versions with 'mlflow: {serve: true}' in the config"
            )
        }
        let artifacts = try MLflowArtifacts(client: client, root: try artifactRoot(of: entry, client, at: at), cache: cache, label: label, location: at)

        var mlmodel: MLflowMLmodel?
        var mlmodelDigest: String?
        if artifacts.has("MLmodel") {
            let file = try artifacts.fetch("MLmodel", what: "the MLmodel file")
            mlmodel = try MLflowMLmodel(try DirectoryRegistry.read(file), file: file)
            // Filed under its digest by the artifact cache.
            mlmodelDigest = Self.digest(ofCached: file)
        }
        var artifact: Artifact?
        let expected = try sha256Tag(tags, label: label, at: at)
        if let name = try modelFile(tags, mlmodel, artifacts, label: label, at: at) {
            artifact = Artifact(
                path: try artifacts.fetch(name, what: "the model file '\(name)'", sha256: expected), sha256: expected,
                location: at ?? SourceLocation(file: label))
        } else if expected != nil {
            throw TollgateError(
                .registry, at: at, "\(label) has a tollgate.sha256 tag but no model file among its artifacts (name it with a tollgate.artifact tag)")
        }
        let scorer: ScorerSpec
        let scorerLocation = at ?? SourceLocation(file: label)
        switch scorerTag {
        case .predictions(let path):
            scorer = .predictions(path: try artifacts.fetch(path, what: "the scorer artifact '\(path)'"), location: scorerLocation)
        case .http(let served):
            var spec = HTTPScorerSpec(url: served.base, inferenceProtocol: served.inferenceProtocol, location: scorerLocation)
            spec.model = served.model
            spec.modelVersion = served.modelVersion
            spec.identity = identity(of: entry, client, artifact: artifact, mlmodel: mlmodelDigest)
            scorer = .http(spec)
        case .serve:
            guard let options = serve, options.serve else {
                throw TollgateError(
                    .registry, at: at,
                    "\(label) is tagged \(MLflowScorerTag.key): \(MLflowScorerTag.serveValue), but this config does not let Tollgate serve models; "
                        + "add 'mlflow: {serve: true}' to it (mlflow models serve then runs the version while it is scored)")
            }
            let modelURI = "models:/\(entry.name)/\(entry.version)"
            // Until the server is started its URL is unknown; the cache key rests on the identity.
            var spec = HTTPScorerSpec(url: modelURI, inferenceProtocol: .mlflow, location: scorerLocation)
            spec.identity = identity(of: entry, client, artifact: artifact, mlmodel: mlmodelDigest)
            spec.batchSize = options.batchSize
            spec.concurrency = options.concurrency
            spec.readyTimeout = options.readyTimeout
            scorer = .mlflowServe(
                MLflowServeSpec(modelURI: modelURI, trackingURI: client.endpoint.description, options: options, http: spec, label: label))
        }
        var latency: String?
        if let samples = tags["tollgate.latency"] {
            guard let path = MLflowPaths.artifactPath(samples) else {
                throw TollgateError(.registry, at: at, "malformed tollgate.latency tag '\(samples)' on \(label): expected a path among the version's artifacts")
            }
            latency = try artifacts.fetch(path, what: "the latency samples '\(path)'")
        }
        var card: String?
        if artifacts.has("MODEL_CARD.md") {
            card = try artifacts.fetch("MODEL_CARD.md", what: "the model card")
        } else if let description = entry.description, !description.isEmpty {
            card = try artifacts.store(text: description, as: "MODEL_CARD.md")
        }
        let run = try runTags(entry.run_id, client, label: label, at: at)
        var modelVersion = ModelVersion(
            model: model.name, version: entry.version, directory: cache, createdAt: entry.creation_timestamp.map(Self.timestamp),
            sourceCommit: run["mlflow.source.git.commit"], sourceCommittedAt: tags["tollgate.committed_at"],
            tags: tags.filter { !Self.mappedTags.contains($0.key) && !$0.key.hasPrefix("tollgate.") }, scorer: scorer, artifact: artifact,
            modelCard: card, aliases: model.aliases.filter { $0.value == entry.version }.map(\.key).sorted(),
            location: at ?? SourceLocation(file: label), license: tags["license"], latencySamples: latency, schema: mlmodel?.columns ?? [])
        modelVersion.latencySamplesLocation = latency == nil ? nil : at
        return modelVersion
    }

    /// What a live scorer's cache key holds of an MLflow version besides the URL: the server,
    /// the version, the run and source it was registered from, and the digests of its MLmodel
    /// and model file. A version re-registered, or a model file replaced, scores afresh.
    func identity(of entry: MLflowModelVersion, _ client: MLflowClient, artifact: Artifact?, mlmodel: String?) -> String {
        [
            "mlflow", client.endpoint.description, entry.name, entry.version, "run=\(entry.run_id ?? "")", "source=\(entry.source ?? "")",
            "created=\(entry.creation_timestamp.map(String.init) ?? "")", "mlmodel=\(mlmodel ?? "none")",
            "model_file=\(artifact.map { Self.digest(ofCached: $0.path) } ?? "none")"
        ].joined(separator: " ")
    }

    /// The sha256 of a file the artifact cache holds: the name of the folder it is filed in.
    static func digest(ofCached path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
    }

    /// Tags that become fields of the version rather than staying tags.
    static let mappedTags: Set<String> = ["license", "owner"]

    /// Where the version's files are on the proxy, from `get-download-uri`.
    func artifactRoot(of entry: MLflowModelVersion, _ client: MLflowClient, at: SourceLocation?) throws(TollgateError) -> String {
        let data = try client.require(
            "\(Self.api)/model-versions/get-download-uri", [("name", entry.name), ("version", entry.version)],
            what: "the artifact location of \(entry.name)@\(entry.version)", at: at)
        let uri = try client.decode(MLflowDownloadURI.self, data, from: "model-versions/get-download-uri").artifact_uri
        guard let path = MLflowPaths.proxyPath(ofArtifactURI: uri) else {
            throw TollgateError(
                .registry, at: at,
                "the artifacts of \(entry.name)@\(entry.version) are at \(uri), which the server's artifact proxy does not serve; run mlflow server with --serve-artifacts (the default)"
            )
        }
        return path
    }

    func sha256Tag(_ tags: [String: String], label: String, at: SourceLocation?) throws(TollgateError) -> String? {
        guard let text = tags["tollgate.sha256"]?.lowercased() else { return nil }
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else {
            throw TollgateError(.registry, at: at, "malformed tollgate.sha256 tag on \(label): expected 64 hexadecimal digits, got '\(text)'")
        }
        return text
    }

    /// The model file: the `tollgate.artifact` tag, else the file the MLmodel's flavour loads,
    /// else `model.pkl` when the version has one.
    func modelFile(
        _ tags: [String: String], _ mlmodel: MLflowMLmodel?, _ artifacts: MLflowArtifacts, label: String, at: SourceLocation?
    ) throws(TollgateError) -> String? {
        if let named = tags["tollgate.artifact"] {
            guard let path = MLflowPaths.artifactPath(named) else {
                throw TollgateError(.registry, at: at, "malformed tollgate.artifact tag '\(named)' on \(label): expected a path among the version's artifacts")
            }
            return path
        }
        if let file = mlmodel?.modelFile, artifacts.has(file) { return file }
        return artifacts.has("model.pkl") ? "model.pkl" : nil
    }

    func runTags(_ runID: String?, _ client: MLflowClient, label: String, at: SourceLocation?) throws(TollgateError) -> [String: String] {
        guard let runID, !runID.isEmpty else { return [:] }
        let data = try client.require("\(Self.api)/runs/get", [("run_id", runID)], what: "run \(runID) of \(label)", at: at)
        var tags: [String: String] = [:]
        for tag in try client.decode(MLflowRunAnswer.self, data, from: "runs/get").run.data?.tags ?? [] { tags[tag.key] = tag.value ?? "" }
        return tags
    }

    /// MLflow's milliseconds since 1970 as the RFC 3339 text a folder's `created_at` holds.
    static func timestamp(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
