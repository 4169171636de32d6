/// One served request from a canary's event log (a line of JSON Lines).
///
/// Why normalised on reading: the statistics must never see a NaN latency or an unknown arm;
/// every such line is an error with its file and line, so a verdict is never computed from
/// half-understood data.
public struct CanaryEvent: Sendable, Equatable, Codable {
    public enum Arm: String, Sendable, Equatable, Codable, CaseIterable {
        case baseline, canary
    }

    public var arm: Arm
    /// Seconds since the Unix epoch.
    public var time: Double
    public var requestId: String?
    public var latencyMs: Double?
    /// From `status`: a 5xx HTTP status or "error" is an error; absent when no status was given.
    public var isError: Bool?
    /// Predictions and labels as canonical text, so `1`, `1.0` and `"1"` compare equal.
    public var prediction: String?
    public var label: String?
    /// Every numeric (or boolean, as 0/1) field, for `mean(FIELD)` and `rate(FIELD)`.
    public var fields: [String: Double]

    public init(
        arm: Arm, time: Double, requestId: String? = nil, latencyMs: Double? = nil, isError: Bool? = nil,
        prediction: String? = nil, label: String? = nil, fields: [String: Double] = [:]
    ) {
        self.arm = arm
        self.time = time
        self.requestId = requestId
        self.latencyMs = latencyMs
        self.isError = isError
        self.prediction = prediction
        self.label = label
        self.fields = fields
    }
}
