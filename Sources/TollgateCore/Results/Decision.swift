/// The decision for a candidate, and for the whole run.
public enum Decision: String, Sendable, Equatable, Codable, Comparable {
    case pass
    case inconclusive
    case fail
    case error

    /// The exit code contract: 0 pass, 1 fail, 2 error, 3 inconclusive.
    public var exitCode: Int32 {
        switch self {
        case .pass: 0
        case .fail: 1
        case .error: 2
        case .inconclusive: 3
        }
    }

    private var severity: Int {
        switch self {
        case .pass: 0
        case .inconclusive: 1
        case .fail: 2
        case .error: 3
        }
    }

    public static func < (a: Decision, b: Decision) -> Bool { a.severity < b.severity }

    /// Any blocking fail decides fail; else any blocking inconclusive decides inconclusive.
    /// Warnings never block.
    public static func from(_ results: [CheckResult]) -> Decision {
        let blocking = results.filter { $0.severity == .block }
        if blocking.contains(where: { $0.outcome == .error }) { return .error }
        if blocking.contains(where: { $0.outcome == .fail }) { return .fail }
        if blocking.contains(where: { $0.outcome == .inconclusive }) { return .inconclusive }
        return .pass
    }
}
