import Foundation
import TollgateCore

/// A canary analysis as the history holds it: its looks, oldest first.
public struct CanaryAnalysisHistory: Sendable, Equatable {
    public var id: String
    public var model: String
    public var looks: [CanaryAnalysisRecord]

    /// The latest look, whose verdict is the analysis's.
    public var latest: CanaryAnalysisRecord { looks[looks.count - 1] }
}

extension SQLHistory {
    /// Every canary analysis, each with its looks in look order, analyses ordered by their
    /// first look.
    public func canaryAnalyses() throws(TollgateError) -> [CanaryAnalysisHistory] {
        var analyses: [CanaryAnalysisHistory] = []
        var index: [String: Int] = [:]
        try database.read { (db: any SQLConnection) throws(TollgateError) in
            try db.query("SELECT id, body FROM tollgate_events WHERE kind = 'canary_analysis' ORDER BY at, recorded_at, id", []) {
                (row: any SQLRow) throws(TollgateError) in
                let id = try row.text(0) ?? ""
                guard
                    case .canaryAnalysis(let look) = try HistoryEvent.decode(
                        jsonLine: Data((try row.text(1) ?? "").utf8), at: SourceLocation(file: "history event \(id)"))
                else { return }
                if let i = index[look.analysis] {
                    analyses[i].looks.append(look)
                } else {
                    index[look.analysis] = analyses.count
                    analyses.append(CanaryAnalysisHistory(id: look.analysis, model: look.model, looks: [look]))
                }
            }
        }
        for i in analyses.indices { analyses[i].looks.sort { ($0.look, $0.at) < ($1.look, $1.at) } }
        return analyses
    }
}
