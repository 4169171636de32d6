import Foundation
import TollgateCore

/// One look of a canary analysis (`tollgate canary --history`): the verdict, each check's
/// confidence sequence at that look, and the requests per arm the look read.
///
/// Why one event per look rather than one per analysis: each look is its own process (a
/// controller calls `tollgate canary --state` every minute), and the history takes whole events
/// in one transaction each; the looks of one analysis share `analysis` (kept in the state file),
/// so the site draws the sequence narrowing over them without any look rewriting another.
public struct CanaryAnalysisRecord: Sendable, Equatable, Codable {
    /// One check at this look; numbers not yet known are nil (null in the export).
    public struct Check: Sendable, Equatable, Codable {
        public var expression: String
        /// `block` or `warn`.
        public var severity: String
        /// The tolerated canary − baseline difference, on the estimate's scale (log for ratios).
        public var margin: Double
        /// `increase` (canary ≤ baseline + margin) or `decrease` (canary ≥ baseline + margin).
        public var badDirection: String
        public var nBaseline: Int
        public var nCanary: Int
        public var estimate: Double?
        /// The intersected confidence sequence at this look.
        public var lower: Double?
        public var upper: Double?
        public var pValue: Double?
        /// `pass`, `fail`, `continue` or `inconclusive`.
        public var outcome: String
        public var reason: String

        public init(
            expression: String, severity: String, margin: Double, badDirection: String, nBaseline: Int, nCanary: Int, estimate: Double?,
            lower: Double?, upper: Double?, pValue: Double?, outcome: String, reason: String
        ) {
            self.expression = expression
            self.severity = severity
            self.margin = margin
            self.badDirection = badDirection
            self.nBaseline = nBaseline
            self.nCanary = nCanary
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.pValue = pValue
            self.outcome = outcome
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case expression, severity, margin, estimate, lower, upper, outcome, reason
            case badDirection = "bad_direction"
            case nBaseline = "n_baseline"
            case nCanary = "n_canary"
            case pValue = "p_value"
        }
    }

    public var id: String
    /// The analysis this look belongs to (the same for every look of one `--state` file).
    public var analysis: String
    public var model: String
    /// When the look was taken.
    public var at: Instant
    /// The registry references of the two arms, as the config names them.
    public var baseline: String?
    public var canary: String?
    /// `canary` or `shadow`.
    public var mode: String
    /// 1 for the first look of the analysis.
    public var look: Int
    /// `pass`, `fail`, `continue` or `inconclusive`.
    public var verdict: String
    public var checks: [Check]
    /// Events this look read, per arm (the look's new requests).
    public var baselineEvents: Int
    public var canaryEvents: Int
    public var recordedAt: Instant

    public init(
        id: String, analysis: String, model: String, at: Instant, baseline: String?, canary: String?, mode: String, look: Int, verdict: String,
        checks: [Check], baselineEvents: Int, canaryEvents: Int, recordedAt: Instant
    ) {
        self.id = id
        self.analysis = analysis
        self.model = model
        self.at = at
        self.baseline = baseline
        self.canary = canary
        self.mode = mode
        self.look = look
        self.verdict = verdict
        self.checks = checks
        self.baselineEvents = baselineEvents
        self.canaryEvents = canaryEvents
        self.recordedAt = recordedAt
    }

    /// Whether the look decided the analysis for good (a controller stops looking after it).
    public var isDecided: Bool { verdict == "pass" || verdict == "fail" }

    enum CodingKeys: String, CodingKey {
        case id, analysis, model, at, baseline, canary, mode, look, verdict, checks
        case baselineEvents = "baseline_events"
        case canaryEvents = "canary_events"
        case recordedAt = "recorded_at"
    }

    static let keys = [
        "kind", "id", "analysis", "model", "at", "baseline", "canary", "mode", "look", "verdict", "checks", "baseline_events", "canary_events", "recorded_at"
    ]
    static let verdicts = ["pass", "fail", "continue", "inconclusive"]
}
