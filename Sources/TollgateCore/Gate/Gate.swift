import Foundation

/// A gate run as a pipeline of named steps: resolve → verify → score → measure → decide → report.
///
/// Each step is a small type that takes the values of the steps before it and returns its own;
/// none reads anything else. Any step may throw a `TollgateError`; the run then has no
/// decision but `error` (exit 2). A new suite plugs in at `CheckRouter`, a new scorer at
/// `ScorerFactory`: this function does not change.
public struct Gate: Sendable {
    public let config: GateConfig
    public let registry: any Registry
    public let toolVersion: String
    /// The commit under test in CI, recorded with the run; the command line reads it from the environment.
    public let commit: String?
    /// Which scorer kinds this gate can run.
    public var scorers: ScorerFactory = .standard
    /// The live scorers' cache and environment (`--rescore` sets `rescore`).
    public var scoring = ScoringOptions()

    public init(
        config: GateConfig, registry: (any Registry)? = nil, toolVersion: String = TollgateVersion.current, commit: String? = nil
    ) {
        self.config = config
        self.registry = registry ?? RegistryFactory.open(for: config)
        self.toolVersion = toolVersion
        self.commit = commit
    }

    /// Steps, in order, for progress lines (`[2/6] verify artifacts`).
    public static let steps = ["resolve versions", "verify artifacts", "score versions", "measure", "decide", "report"]

    /// - Parameter intervals: also give every resamplable metric a 95% bootstrap interval.
    /// - Parameter note: told about candidates folded because they name the same version.
    /// - Parameter resolution: the versions already resolved by the caller (e.g. to refuse
    ///   `--promote` before evaluating), so the registry is not read twice.
    public func run(
        intervals: Bool = false, progress: (Int, String) -> Void = { _, _ in }, note: (String) -> Void = { _ in },
        clock: () -> Date = Date.init, resolution: ResolvedVersions? = nil
    ) throws(TollgateError) -> RunReport {
        let started = clock()
        progress(0, Self.steps[0])
        let resolved: ResolvedVersions
        if let resolution { resolved = resolution } else { resolved = try ResolvedVersions.resolve(config, in: registry) }
        resolved.folded.forEach(note)
        progress(1, Self.steps[1])
        let artifacts = try VerifiedArtifacts.verify(resolved.distinctVersions)
        progress(2, Self.steps[2])
        let scored = try ScoredVersions.score(resolved.distinctVersions, for: config, with: scorers, artifacts: artifacts, options: scoring)
        progress(3, Self.steps[3])
        let measured = try MeasuredRun.measure(scored, resolved, artifacts, config: config, intervals: intervals)
        progress(4, Self.steps[4])
        let decided = DecidedChecks.decide(config.checks, for: resolved.candidates.map(\.version), on: measured)
        progress(5, Self.steps[5])
        let assembly = ReportAssembly(
            config: config, resolved: resolved, artifacts: artifacts, measured: measured, decided: decided, intervals: intervals,
            scoring: scored.reports)
        return assembly.report(tool: .init(name: "tollgate", version: toolVersion), commit: commit, started: started, finished: clock())
    }
}

public enum TollgateVersion {
    public static let current = "0.1.0"
}
