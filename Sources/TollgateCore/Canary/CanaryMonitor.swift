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
    private let state: Mutex<CanaryState>

    /// Opens the analysis: the state file's test when it exists (refused when it belongs to
    /// another config), a fresh one otherwise.
    public init(config: CanaryConfig, source: String?, statePath: String?) throws(TollgateError) {
        guard source != "-" else {
            throw TollgateError(
                .config, at: SourceLocation(file: "source.events"),
                "a served analysis reads new events at every look, and stdin ('-') has no position to resume from; give a file or folder")
        }
        self.config = config
        self.source = source
        self.statePath = statePath
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
            let events: [CanaryEvent]
            if let source {
                events = try CanaryEventReader.unread(from: source, state: &next, resumable: true)
            } else if let prometheus = config.prometheus {
                events = try prometheus.events(state: &next)
            } else {
                throw TollgateError(.config, "no events: give --events FILE|DIR, source.events or source.prometheus in the config")
            }
            let verdict = try CanaryAnalysis.look(config: config, events: events, state: &next)
            if let statePath { try next.save(path: statePath) }
            state = next
            return verdict
        }
    }
}
