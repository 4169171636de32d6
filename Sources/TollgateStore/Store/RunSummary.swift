import Foundation
import TollgateCore

/// A run as the site's index and model pages show it: its decision, its champion, and for each
/// candidate its decision and the values of the metrics its checks name. Read from summary
/// tables, so listing 10,000 runs decodes no report.
public struct RunSummary: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var version: String
        public var decision: String
        public var metrics: [String: Double]
    }

    public var id: String
    public var model: String
    public var at: Instant
    public var decision: Decision
    public var champion: String
    public var candidates: [Candidate]
    /// The champion's value of every metric the run's checks name: the site draws it as the
    /// step line a candidate is measured against.
    public var championMetrics: [String: Double] = [:]
}

extension SQLHistory {
    /// Every run, by model and then time.
    public func runSummaries() throws(TollgateError) -> [RunSummary] {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> [RunSummary] in
            var runs: [RunSummary] = []
            var index: [String: Int] = [:]
            try db.query("SELECT run_id, model, at, decision, champion FROM tollgate_runs ORDER BY model, at, run_id", []) {
                (row: any SQLRow) throws(TollgateError) in
                let id = try row.text(0) ?? ""
                index[id] = runs.count
                runs.append(
                    RunSummary(
                        id: id, model: try row.text(1) ?? "", at: try row.instant(2) ?? Instant(milliseconds: 0),
                        decision: Decision(rawValue: try row.text(3) ?? "") ?? .error, champion: try row.text(4) ?? "", candidates: []))
            }
            try db.query("SELECT run_id, version, decision FROM tollgate_run_candidates ORDER BY run_id, version", []) {
                (row: any SQLRow) throws(TollgateError) in
                guard let i = index[try row.text(0) ?? ""] else { return }
                runs[i].candidates.append(.init(version: try row.text(1) ?? "", decision: try row.text(2) ?? "", metrics: [:]))
            }
            try db.query("SELECT run_id, version, metric, value FROM tollgate_run_metrics", []) { (row: any SQLRow) throws(TollgateError) in
                guard let i = index[try row.text(0) ?? ""] else { return }
                let version = try row.text(1) ?? ""
                if version == runs[i].champion { runs[i].championMetrics[try row.text(2) ?? ""] = try row.real(3) ?? .nan }
                guard let c = runs[i].candidates.firstIndex(where: { $0.version == version }) else { return }
                runs[i].candidates[c].metrics[try row.text(2) ?? ""] = try row.real(3) ?? .nan
            }
            return runs
        }
    }

    /// One run's whole record, for the page that shows it.
    public func run(id: String) throws(TollgateError) -> RunRecord? {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> RunRecord? in
            var record: RunRecord?
            try db.query("SELECT body FROM tollgate_events WHERE id = ? AND kind = 'run'", [.text(id)]) { (row: any SQLRow) throws(TollgateError) in
                if case .run(let r) = try HistoryEvent.decode(jsonLine: Data((try row.text(0) ?? "").utf8), at: SourceLocation(file: "history event \(id)")) {
                    record = r
                }
            }
            return record
        }
    }

    /// The deployments of every model, oldest first.
    public func deployments() throws(TollgateError) -> [Deployment] {
        var all: [Deployment] = []
        try database.read { (db: any SQLConnection) throws(TollgateError) in
            try db.query("SELECT id, body FROM tollgate_events WHERE kind = 'deployment' ORDER BY at, recorded_at, id", []) {
                (row: any SQLRow) throws(TollgateError) in
                let id = try row.text(0) ?? ""
                if case .deployment(let d) = try HistoryEvent.decode(
                    jsonLine: Data((try row.text(1) ?? "").utf8), at: SourceLocation(file: "history event \(id)"))
                {
                    all.append(d)
                }
            }
        }
        return all
    }

    /// The newest event's time, which dates the site.
    public func newestEventTime() throws(TollgateError) -> Instant? {
        try database.read { (db: any SQLConnection) throws(TollgateError) -> Instant? in
            try db.scalar("SELECT MAX(at) FROM tollgate_events").map(Instant.init(milliseconds:))
        }
    }
}
