/// The suite a check sentence is listed under, parsed once with the sentence: code asks
/// `check.suite == .latency`, never compares strings, and an unknown suite never gets this far.
public enum Suite: String, Sendable, Equatable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case accuracy
    case fairness
    case latency
    case drift
    case nonfunctional
    /// The sentences of a canary config: the same grammar, decided on live events by `CanaryAnalysis`.
    case canary

    /// The suites a gate config may list under `checks:`, in the order messages name them.
    public static let gate: [Suite] = [.accuracy, .fairness, .latency, .drift, .nonfunctional]

    /// Drift belongs to the data, not to a version: its checks are decided once per run and
    /// the same result is reported for every candidate.
    var isDecidedOncePerRun: Bool { self == .drift }

    public var description: String { rawValue }
}
