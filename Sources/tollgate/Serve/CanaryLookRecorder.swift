import TollgateCore
import TollgateStore

/// Records a served look in the history, opening it for that look only: a look is one short
/// transaction, and no connection is held through a controller's minutes of silence.
struct CanaryLookRecorder: CanaryLookRecording {
    let location: HistoryLocation
    let config: CanaryConfig

    func record(_ look: CanaryLookRecord) throws(TollgateError) {
        let store = try SQLHistory.open(location, credentials: ProcessEnvironment.postgresCredentials)
        defer { store.close() }
        let now = Instant.now()
        let record = CanaryAnalysisRecord(
            id: HistoryEvent.newID(), analysis: look.analysis, at: now, config: config, verdict: look.verdict, newEvents: look.newEvents,
            recordedAt: now)
        try store.record(.canaryAnalysis(record), now: now)
    }
}
