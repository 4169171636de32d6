/// Makes the scorer each version's `scorer:` names. The gate asks it for every version, so a
/// scorer kind this build cannot run stops the run with an error at the version's
/// `version.yaml`: a version is never skipped because its predictions could not be obtained.
public struct ScorerFactory: Sendable {
    private let make: @Sendable (ScorerSpec) -> (any Scorer)?

    /// - Parameter make: the scorer for a spec, or nil when this factory cannot run its kind.
    public init(_ make: @escaping @Sendable (ScorerSpec) -> (any Scorer)?) {
        self.make = make
    }

    /// The scorers this build runs: a predictions file. A new kind is a case of `ScorerSpec`,
    /// a `Scorer` in its own file, and one case here.
    public static let standard = ScorerFactory { spec in
        switch spec {
        case .predictions(let path, let location): PredictionsFileScorer(path: path, location: location)
        case .http, .command: nil
        }
    }

    /// The scorer of `version`, or an error at its `version.yaml` when its kind cannot run here.
    public func scorer(for version: ModelVersion) throws(TollgateError) -> any Scorer {
        guard let scorer = make(version.scorer) else {
            throw TollgateError(
                .registry, at: version.location,
                "\(version.model)@\(version.version) is scored by '\(version.scorer.kind)', which this build of tollgate cannot run")
        }
        return scorer
    }
}
