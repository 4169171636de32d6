import Foundation

/// The answer of one canary look: a verdict, its exit code, and per check the numbers behind it.
public struct CanaryVerdict: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case pass, fail, `continue`, inconclusive

        /// 0 promote, 1 roll back, 3 look again (`continue`) or the horizon reached undecided
        /// (`inconclusive`); see ``exitCode(inconclusiveFails:)``.
        public var exitCode: Int32 {
            switch self {
            case .pass: 0
            case .fail: 1
            case .continue, .inconclusive: 3
            }
        }

        /// The exit code under `--on-inconclusive fail`: only `inconclusive` (the horizon reached
        /// undecided) becomes 1; `continue` stays 3, since looking again is not rolling back.
        public func exitCode(inconclusiveFails: Bool) -> Int32 {
            inconclusiveFails && self == .inconclusive ? 1 : exitCode
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

    public init(verdict: Verdict, looks: Int, checks: [CheckResult], unpaired: [CanaryEvent.Arm: Int]?) {
        self.verdict = verdict
        self.looks = looks
        self.checks = checks
        self.unpaired = unpaired
    }

    /// The JSON verdict: `{"verdict", "looks", "exit_code", "checks": [{expression, n_baseline,
    /// n_canary, estimate, interval, p_value, outcome, reason}]}`. `exitCode` is the process's
    /// real exit code (after `--on-inconclusive`); it defaults to the verdict's own.
    /// Unknown or non-finite numbers are null, never NaN; an encoding failure is an error.
    public func json(exitCode: Int32? = nil) throws(TollgateError) -> [UInt8] {
        func number(_ x: Double?) -> Any { x.flatMap(JSONNumber.finite).map { $0 as Any } ?? NSNull() }
        let checks: [[String: Any]] = checks.map { result in
            let look = result.look
            var interval: Any = NSNull()
            if let lower = look.lower, let upper = look.upper { interval = [number(lower), number(upper)] }
            return [
                "expression": result.expression, "severity": result.severity.rawValue,
                "n_baseline": look.baselineCount, "n_canary": look.canaryCount,
                "estimate": number(look.estimate), "interval": interval,
                "p_value": number(look.pValue), "outcome": look.outcome.rawValue, "reason": look.reason
            ]
        }
        var object: [String: Any] = ["verdict": verdict.rawValue, "looks": looks, "exit_code": Int(exitCode ?? verdict.exitCode), "checks": checks]
        if let unpaired {
            object["unpaired"] = ["baseline": unpaired[.baseline] ?? 0, "canary": unpaired[.canary] ?? 0]
        }
        guard JSONSerialization.isValidJSONObject(object) else {
            throw TollgateError(.io, "the canary verdict could not be encoded as JSON")
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            return [UInt8](data) + [10]
        } catch {
            throw TollgateError(.io, "the canary verdict could not be encoded as JSON: \(error)")
        }
    }
}
