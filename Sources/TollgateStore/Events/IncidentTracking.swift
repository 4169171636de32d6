/// A team's statement that incidents of a model are recorded from `at` on.
///
/// Change failure rate is only as good as the incident record behind it: a model whose team
/// never records incidents would read 0% failures and an elite level. So DORA grades the change
/// failure rate only for a model with incident tracking in place by the window's end — this
/// event, or any incident recorded for the model (recording one shows tracking is in place).
/// Until then the rate is shown with "no incidents recorded for this model" and no level, as
/// Apache DevLake shows N/A for a project whose incidents are not collected.
public struct IncidentTracking: Sendable, Equatable, Codable {
    public var id: String
    public var model: String
    /// From when incidents are recorded.
    public var at: Instant
    /// Where the incidents are tracked (a board, a pager rota), for the reader.
    public var note: String?
    public var recordedAt: Instant

    public init(id: String, model: String, at: Instant, note: String? = nil, recordedAt: Instant) {
        self.id = id
        self.model = model
        self.at = at
        self.note = note
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, at, note
        case recordedAt = "recorded_at"
    }
}
