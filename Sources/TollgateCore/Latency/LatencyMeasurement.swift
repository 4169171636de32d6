/// Reads the latency samples the run's latency checks need, once, before any is decided.
enum LatencyMeasurement {
    /// Summaries of every candidate's samples, and of the champion's when a check compares with
    /// it; none without latency checks. A version without samples is an error at the first
    /// latency check.
    /// - Parameter versions: each distinct version once, champion first.
    static func summaries(_ checks: [Check], versions: [ModelVersion], candidates: Set<String>) throws(TollgateError) -> [String: LatencySummary] {
        let checks = checks.filter { $0.suite == .latency }
        guard let first = checks.first else { return [:] }
        let needChampion = checks.contains { check in
            if case .compare(_, let expression) = check.condition { return expression.mentionsChampion }
            return false
        }
        var summaries: [String: LatencySummary] = [:]
        for version in versions {
            guard candidates.contains(version.version) || needChampion else { continue }
            guard let source = try LatencySamples.source(for: version) else {
                throw TollgateError(
                    .check, at: first.location,
                    "\(version.model)@\(version.version) has no latency samples: add 'latency: {samples: FILE}' to its version.yaml "
                        + "or a latency_ms column to its predictions in check '\(first.source)'")
            }
            let origin = source == version.latencySamples ? version.latencySamplesLocation : nil
            summaries[version.version] = try LatencySamples.read(source, namedAt: origin)
        }
        return summaries
    }

    /// The live load's latency summaries (completion minus intended send) for the versions the
    /// latency checks read; a version the load did not measure (no http scorer) is an error at
    /// the first latency check.
    static func live(_ load: LoadResult, checks: [Check], versions: [ModelVersion], candidates: Set<String>) throws(TollgateError) -> [String: LatencySummary] {
        var summaries = Dictionary(uniqueKeysWithValues: load.versions.map { ($0.version, $0.load.latency) })
        let checks = checks.filter { $0.suite == .latency }
        guard let first = checks.first else { return summaries }
        let needChampion = checks.contains { check in
            if case .compare(_, let expression) = check.condition { return expression.mentionsChampion }
            return false
        }
        for version in versions where candidates.contains(version.version) || needChampion {
            guard let summary = summaries[version.version] else {
                throw TollgateError(
                    .check, at: first.location,
                    "\(version.model)@\(version.version) is scored by '\(version.scorer.kind)', so the load cannot measure its latency "
                        + "for check '\(first.source)': give it an http scorer or remove 'load:'")
            }
            if summary.requests == 0 { summaries[version.version] = nil }
        }
        return summaries
    }
}
