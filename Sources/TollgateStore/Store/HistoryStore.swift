import Foundation
import TollgateCore

/// Where runs and events are kept. `SQLHistory` is the one implementation, over SQLite or
/// PostgreSQL; the protocol is the seam a test or a future backend plugs into.
public protocol HistoryStore: Sendable {
    /// Stores one event in one transaction after checking and linking it against the history.
    /// An event whose id is already stored is left alone (`.known`), which is what makes
    /// importing the same export twice a no-op.
    @discardableResult
    func record(_ event: HistoryEvent, now: Instant) throws(TollgateError) -> RecordResult
    /// Streams the events of `model` (all models when `nil`), in history order.
    func forEachEvent(model: String?, _ body: (HistoryEvent) throws(TollgateError) -> Void) throws(TollgateError)
    /// What DORA reads: deployments, incidents, resolutions and gate outcomes, without the JSON,
    /// for windows from `since` (every row when nil) to `end`.
    func doraFacts(model: String?, since: Instant?, until end: Instant) throws(TollgateError) -> DoraFacts
    func close()
}

extension HistoryStore {
    /// Every fact before `end`, for any window.
    public func doraFacts(model: String?, until end: Instant) throws(TollgateError) -> DoraFacts {
        try doraFacts(model: model, since: nil, until: end)
    }
}

public enum RecordResult: Sendable, Equatable {
    /// Stored, with the links the history supplied.
    case added(HistoryEvent)
    /// An event with this id was already there.
    case known
}
