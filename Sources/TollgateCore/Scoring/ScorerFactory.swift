/// Makes the scorer each version's `scorer:` names. The gate asks it for every version, so a
/// scorer kind this build cannot run stops the run with an error at the version's
/// `version.yaml`: a version is never skipped because its predictions could not be obtained.
public struct ScorerFactory: Sendable {
    private let make: @Sendable (ScoringContext) -> (any Scorer)?

    /// - Parameter make: the scorer for a spec, or nil when this factory cannot run its kind.
    public init(_ make: @escaping @Sendable (ScorerSpec) -> (any Scorer)?) {
        self.make = { make($0.version.scorer) }
    }

    private init(contextual make: @escaping @Sendable (ScoringContext) -> (any Scorer)?) {
        self.make = make
    }

    /// - Parameter make: the scorer for a version in its run (artifact, cache, environment), or
    ///   nil when this factory cannot run its kind.
    public static func contextual(_ make: @escaping @Sendable (ScoringContext) -> (any Scorer)?) -> ScorerFactory {
        ScorerFactory(contextual: make)
    }

    /// The scorers this build runs: a predictions file, a served model (one already served, or
    /// an MLflow version Tollgate serves itself) and a program. A new kind is a case
    /// of `ScorerSpec`, a `Scorer` in its own file, and one case here.
    public static let standard = ScorerFactory.contextual { context in
        switch context.version.scorer {
        case .predictions(let path, let location): PredictionsFileScorer(path: path, location: location)
        case .http(let spec): HTTPScorer(spec: spec, context: context)
        case .mlflowServe(let serve): HTTPScorer(spec: serve.http, context: context, serve: serve)
        case .command(let spec): CachedCommandScorer(spec: spec, context: context)
        }
    }

    /// The scorer of `version`, or an error at its `version.yaml` when its kind cannot run here.
    public func scorer(for version: ModelVersion) throws(TollgateError) -> any Scorer {
        try scorer(for: ScoringContext(version: version))
    }

    /// The scorer of the context's version, or an error at its `version.yaml` when its kind cannot run here.
    public func scorer(for context: ScoringContext) throws(TollgateError) -> any Scorer {
        let version = context.version
        guard let scorer = make(context) else {
            throw TollgateError(
                .registry, at: version.location,
                "\(version.model)@\(version.version) is scored by '\(version.scorer.kind)', which this build of tollgate cannot run")
        }
        return scorer
    }
}
