import Foundation

/// The answer of one canary look: a verdict, its exit code, and per check the numbers behind it.
public struct CanaryVerdict: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case pass, fail, `continue`, inconclusive

        /// 0 promote, 1 roll back, 3 look again / not enough evidence.
        public var exitCode: Int32 {
            switch self {
            case .pass: 0
            case .fail: 1
            case .continue, .inconclusive: 3
            }
        }
    }

    public struct CheckResult: Sendable, Equatable {
        public var expression: String
        public var severity: Check.Severity
        public var look: SequentialLook
    }

    public var verdict: Verdict
    public var looks: Int
    public var checks: [CheckResult]
    /// Shadow mode: requests seen from one arm only so far (waiting for their pair), per arm.
    public var unpaired: [CanaryEvent.Arm: Int]?

    /// The JSON verdict: `{"verdict", "looks", "checks": [{expression, n_baseline, n_canary,
    /// estimate, interval, outcome, reason, …}]}`; unknown numbers are null, never NaN.
    public func json() -> [UInt8] {
        let checks: [[String: Any]] = checks.map { result in
            let look = result.look
            var interval: Any = NSNull()
            if let lower = look.lower, let upper = look.upper { interval = [lower, upper] }
            return [
                "expression": result.expression, "severity": result.severity.rawValue,
                "n_baseline": look.baselineCount, "n_canary": look.canaryCount,
                "estimate": look.estimate.map { $0 as Any } ?? NSNull(), "interval": interval,
                "p_value": look.pValue, "outcome": look.outcome.rawValue, "reason": look.reason,
            ]
        }
        var object: [String: Any] = ["verdict": verdict.rawValue, "looks": looks, "exit_code": Int(verdict.exitCode), "checks": checks]
        if let unpaired {
            object["unpaired"] = ["baseline": unpaired[.baseline] ?? 0, "canary": unpaired[.canary] ?? 0]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return [UInt8](data) + [10]
    }
}
