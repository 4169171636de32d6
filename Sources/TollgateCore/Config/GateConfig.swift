import Foundation

/// A gate as the user wrote it in `tollgate.yml`, checked and with paths made absolute.
public struct GateConfig: Sendable, Equatable {
    /// The config file as given on the command line.
    public var file: String
    /// sha256 of the config file's bytes, recorded with every run.
    public var sha256: String
    public var model: String
    /// Absolute path of the directory registry, or the MLflow server's `mlflow+http(s)://…` URL.
    public var registryPath: String
    public var registryLocation: SourceLocation
    public var champion: VersionReference
    public var candidates: [VersionReference]
    public var dataset: DatasetSpec
    public var checks: [Check]
    public var fairness: FairnessOptions
    /// Resamples and seed of the paired bootstrap behind `@ 95%` checks and `--intervals`.
    public var statistics: PairedBootstrap.Settings = PairedBootstrap.Settings()
    /// The open-loop load every http-scored version faces; with it, latency checks read the
    /// live measurement instead of recorded samples.
    public var load: LoadSpec? = nil
    /// `mlflow:`, for an MLflow registry: whether Tollgate serves untagged versions itself.
    public var mlflow: MLflowServeOptions? = nil

    /// Each distinct list of sensitive features the checks slice by, in order of appearance.
    public var slices: [[String]] {
        var seen: [[String]] = []
        for check in checks where check.suite != .drift { if let slice = check.subject.slice, !seen.contains(slice) { seen.append(slice) } }
        return seen
    }

    /// Columns drift checks name; nil when a check says `[*]` (every column but id and label).
    public var driftColumns: [String]? {
        var columns: [String] = []
        for check in checks where check.suite == .drift {
            guard let slice = check.subject.slice else { continue }
            if slice.contains("*") { return nil }
            for column in slice where !columns.contains(column) { columns.append(column) }
        }
        return columns
    }

    public init(
        file: String, sha256: String, model: String, registryPath: String, registryLocation: SourceLocation,
        champion: VersionReference, candidates: [VersionReference], dataset: DatasetSpec, checks: [Check],
        fairness: FairnessOptions = FairnessOptions()
    ) {
        self.fairness = fairness
        self.file = file
        self.sha256 = sha256
        self.model = model
        self.registryPath = registryPath
        self.registryLocation = registryLocation
        self.champion = champion
        self.candidates = candidates
        self.dataset = dataset
        self.checks = checks
    }
}
