import Foundation
import Synchronization

/// A canary analysis kept open by a long-running process (`tollgate serve`): every call to
/// ``look()`` reads the events appended since the last, advances the sequential test and, with a
/// state file, saves the state before answering.
///
/// Why a lock around the whole look: two controllers (or Argo retrying while Flagger calls)
/// may ask at once, and a look reads file positions and advances the test; interleaving two
/// would count events twice. Looks are therefore one at a time, in arrival order.
public final class CanaryMonitor: Sendable {
    public let config: CanaryConfig
    /// The events file or folder (never stdin: it has no position to resume from); nil when
    /// the config's Prometheus source is read instead.
    public let source: String?
    public let statePath: String?
    /// Records each look (in the history) before the state moves on; nil records nothing.
    public let recorder: (any CanaryLookRecording)?
    private let state: Mutex<CanaryState>

    /// Opens the analysis: the state file's test when it exists (refused when it belongs to
    /// another config), a fresh one otherwise.
    public init(
        config: CanaryConfig, source: String?, statePath: String?,
        recorder: (any CanaryLookRecording)? = nil
    ) throws(TollgateError) {
        guard source != "-" else {
            throw TollgateError(
                .config, at: SourceLocation(file: "source.events"),
                "a served analysis reads new events at every look, and stdin ('-') has no position to resume from; give a file or folder")
        }
        self.config = config
        self.source = source
        self.statePath = statePath
        self.recorder = recorder
        let initial = try statePath.map { path throws(TollgateError) in try CanaryState.load(path: path, for: config) } ?? CanaryState(for: config)
        state = Mutex(initial)
    }

    /// One look. On an error (malformed events, an unreadable source, a state that cannot be
    /// written) the test stays where it was, so the next look reads the same events again.
    public func look() throws(TollgateError) -> CanaryVerdict {
        let config = self.config
        let source = self.source
        let statePath = self.statePath
        return try state.withLock { (state: inout CanaryState) throws(TollgateError) -> CanaryVerdict in
            var next = state
            var counts = CanaryEventCounts()
            if let source {
                counts = try CanaryAnalysis.addUnread(from: source, config: config, state: &next, resumable: true)
            } else if let prometheus = config.prometheus {
                counts = try CanaryAnalysis.addCounted(from: prometheus, config: config, state: &next)
            } else {
                throw TollgateError(.config, "no events: give --events FILE|DIR, source.events or source.prometheus in the config")
            }
            let verdict = CanaryAnalysis.conclude(config: config, state: &next)
            if recorder != nil, next.analysisID == nil { next.analysisID = UUID().uuidString.lowercased() }
            // As `tollgate canary` does: the state is written aside, the look recorded, then the
            // state put in place. A refused record leaves the last look's state and no record; a
            // state that cannot be put in place after the record leaves the record, and the
            // analysis keeps its id so the next look continues it.
            let staged = try statePath.map { path throws(TollgateError) in try next.stage(path: path) }
            if let recorder, let analysis = next.analysisID {
                do throws(TollgateError) {
                    try recorder.record(CanaryLookRecord(analysis: analysis, verdict: verdict, newEvents: counts))
                } catch {
                    staged?.discard()
                    throw error
                }
            }
            do throws(TollgateError) {
                try staged?.commit()
            } catch {
                state.analysisID = next.analysisID
                throw error
            }
            state = next
            return verdict
        }
    }
}

/// Where a served analysis records its looks (the history, in `tollgate serve --history`).
public protocol CanaryLookRecording: Sendable {
    func record(_ look: CanaryLookRecord) throws(TollgateError)
}

/// What a served look hands its recorder: the analysis it continues, its verdict and the events it read.
public struct CanaryLookRecord: Sendable {
    public let analysis: String
    public let verdict: CanaryVerdict
    public let newEvents: CanaryEventCounts
}
