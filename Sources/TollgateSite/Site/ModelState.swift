import TollgateCore
import TollgateStore

/// A model's state at a glance, for the index, which puts the models that need a reviewer
/// first: the latest run failed (or could not decide), was inconclusive, or the recent runs flip
/// between pass and fail (flaky: a gate a reviewer cannot trust until someone looks).
enum ModelState: Int, Comparable {
    case failing, inconclusive, flaky, passing, noRuns

    /// Recent runs read for flakiness, and the flips between pass and fail that make it flaky.
    static let window = 10, flips = 3

    init(_ runs: [RunSummary]) {
        guard let latest = runs.last else {
            self = .noRuns
            return
        }
        switch latest.decision {
        case .fail, .error: self = .failing
        case .inconclusive: self = .inconclusive
        default:
            let recent = runs.suffix(Self.window).map(\.decision).filter { $0 == .pass || $0 == .fail }
            let changes = zip(recent, recent.dropFirst()).filter { $0 != $1 }.count
            self = changes >= Self.flips ? .flaky : .passing
        }
    }

    var needsAttention: Bool { self < .passing }

    var label: String {
        switch self {
        case .failing: "failing"
        case .inconclusive: "inconclusive"
        case .flaky: "flaky"
        case .passing: "passing"
        case .noRuns: "no runs"
        }
    }

    /// The state's class in the stylesheet: `state-no-runs`.
    var cssClass: String { "state-" + label.replacingOccurrences(of: " ", with: "-") }

    static func < (a: ModelState, b: ModelState) -> Bool { a.rawValue < b.rawValue }
}
