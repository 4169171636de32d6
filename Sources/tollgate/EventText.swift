import TollgateStore

/// One line per recorded event, as `record` and `promote` print it.
enum EventText {
    static func describe(_ event: HistoryEvent) -> String {
        switch event {
        case .deployment(let d):
            var text = "recorded \(d.type.rawValue) deployment \(d.id): \(d.model) version \(d.version) to \(d.environment) at \(d.at)"
            if let r = d.remediates { text += " (remedies deployment \(r))" }
            return text
        case .incident(let i):
            return "recorded incident \(i.id): \(i.model) at \(i.at), blamed on deployment \(i.deployment ?? "?")"
        case .resolution(let r):
            return "recorded resolution \(r.id): incident \(r.incident) resolved at \(r.at)"
        case .run(let r):
            return "recorded run \(r.id): \(r.model), \(r.report.decision.rawValue)"
        case .incidentTracking(let t):
            return "recorded incident tracking \(t.id): incidents of \(t.model) are recorded from \(t.at) on"
        case .canaryAnalysis(let c):
            return "recorded canary look \(c.look) of analysis \(c.analysis): \(c.model), \(c.verdict)"
        }
    }
}
