/// The champion and the candidates a config names, looked up in the registry.
public struct ResolvedVersions: Sendable, Equatable {
    public var model: RegisteredModel
    public var champion: ModelVersion
    public var championReference: VersionReference
    public var candidates: [(reference: VersionReference, version: ModelVersion)]
    /// One line per candidate reference dropped because an earlier one names the same version
    /// (`["@challenger", "2"]` with `@challenger` = 2), located at the dropped reference.
    public var folded: [String] = []

    public static func == (a: ResolvedVersions, b: ResolvedVersions) -> Bool {
        a.model == b.model && a.champion == b.champion && a.candidates.map(\.version) == b.candidates.map(\.version)
    }

    public static func resolve(_ config: GateConfig, in registry: any Registry) throws(TollgateError) -> ResolvedVersions {
        let model = try registry.model(config.model)
        let champion = try registry.resolve(config.champion, of: model)
        var candidates: [(VersionReference, ModelVersion)] = []
        var folded: [String] = []
        for reference in config.candidates {
            let version = try registry.resolve(reference, of: model)
            // A version listed twice is evaluated once, under its first reference: evaluating
            // it twice would repeat its checks, ids on the run page and JUnit suites, and say
            // nothing new. Folding (not refusing) keeps configs like ["@challenger", "@latest"]
            // working on the day both aliases name the same version.
            if let first = candidates.first(where: { $0.1.version == version.version }) {
                folded.append(
                    "\(reference.location): note: candidate '\(reference)' is version \(version.version), already listed as '\(first.0)'; evaluated once")
                continue
            }
            candidates.append((reference, version))
        }
        var resolved = ResolvedVersions(model: model, champion: champion, championReference: config.champion, candidates: candidates)
        resolved.folded = folded
        return resolved
    }

    /// Each distinct version once, champion first: the order the evaluation pass reads them in.
    public var distinctVersions: [ModelVersion] {
        var seen: Set<String> = []
        return ([champion] + candidates.map(\.version)).filter { seen.insert($0.version).inserted }
    }
}
