/// The parts of MLflow's REST answers Tollgate reads (snake_case, as the server writes them).
/// Everything else in an answer is ignored, so a newer server's extra fields do no harm.
struct MLflowTag: Decodable, Sendable {
    var key: String
    var value: String?
}

struct MLflowModelVersion: Decodable, Sendable {
    var name: String
    var version: String
    var creation_timestamp: Int64?
    var description: String?
    var source: String?
    var run_id: String?
    var status: String?
    var tags: [MLflowTag]?
    var aliases: [String]?

    /// Tags as a dictionary; the last of a repeated key wins, as MLflow's own client does.
    var tagValues: [String: String] {
        var values: [String: String] = [:]
        for tag in tags ?? [] { values[tag.key] = tag.value ?? "" }
        return values
    }
}

struct MLflowModelVersionAnswer: Decodable, Sendable {
    var model_version: MLflowModelVersion
}

struct MLflowRegisteredModel: Decodable, Sendable {
    struct Alias: Decodable, Sendable {
        var alias: String
        var version: String
    }

    var name: String
    var description: String?
    var tags: [MLflowTag]?
    var aliases: [Alias]?
}

struct MLflowRegisteredModelAnswer: Decodable, Sendable {
    var registered_model: MLflowRegisteredModel
}

/// One page of `model-versions/search`.
struct MLflowVersionPage: Decodable, Sendable {
    var model_versions: [MLflowModelVersion]?
    var next_page_token: String?
}

struct MLflowRunAnswer: Decodable, Sendable {
    struct Run: Decodable, Sendable {
        struct RunData: Decodable, Sendable { var tags: [MLflowTag]? }
        var data: RunData?
    }

    var run: Run
}

struct MLflowDownloadURI: Decodable, Sendable {
    var artifact_uri: String
}

/// `mlflow-artifacts/artifacts?path=…`: one folder's entries.
struct MLflowArtifactListing: Decodable, Sendable {
    struct File: Decodable, Sendable {
        var path: String
        var is_dir: Bool?
        var file_size: Int64?
    }

    var files: [File]?
}
