import Foundation

/// What a scorer may need besides its spec: the version it scores, the verified artifact
/// (live scores are cached per artifact), and the run's scoring options.
public struct ScoringContext: Sendable {
    public var version: ModelVersion
    /// sha256 of the version's artifact, verified in step 2; nil when it declares none.
    public var artifactSHA256: String?
    public var options: ScoringOptions

    public init(version: ModelVersion, artifactSHA256: String? = nil, options: ScoringOptions = ScoringOptions()) {
        self.version = version
        self.artifactSHA256 = artifactSHA256
        self.options = options
    }
}

/// How live scorers run in this gate.
public struct ScoringOptions: Sendable {
    /// Where scores are cached: `.tollgate/cache/scores` beside the config by default.
    public var cacheDirectory: String?
    /// Ignore the cache (`tollgate run --rescore`); a fresh result still replaces it.
    public var rescore = false
    /// Where `${VAR}` in headers are read from, when the requests are made.
    public var environment: [String: String]

    public init(cacheDirectory: String? = nil, rescore: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.cacheDirectory = cacheDirectory
        self.rescore = rescore
        self.environment = environment
    }

    /// The cache folder for a gate whose config is `configFile`.
    func resolvedCacheDirectory(besideConfig configFile: String) -> String {
        // Absolute, so the report's predictions path names the file from anywhere.
        let directory = URL(fileURLWithPath: configFile).deletingLastPathComponent()
        return cacheDirectory ?? directory.appendingPathComponent(".tollgate/cache/scores").standardizedFileURL.path
    }
}
