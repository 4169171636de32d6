import TollgateCore

/// A gate run as the history keeps it: the whole machine-readable report, under an id.
public struct RunRecord: Sendable, Equatable, Codable {
    public var id: String
    public var report: RunReport
    public var recordedAt: Instant

    public init(id: String, report: RunReport, recordedAt: Instant) {
        self.id = id
        self.report = report
        self.recordedAt = recordedAt
    }

    public var model: String { report.model }

    /// When the run finished; the report's own time, so an imported run keeps its place.
    public var at: Instant { Instant(rfc3339: report.finishedAt) ?? recordedAt }

    /// What a flaky check is judged against: the same version on the same data.
    public var dataHash: String { report.inputs.dataset.sha256 }

    enum CodingKeys: String, CodingKey {
        case id, report
        case recordedAt = "recorded_at"
    }
}
