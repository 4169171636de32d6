import TollgateCore
import TollgateStore

/// One canary analysis (`canary.md`): its verdict, each check's confidence sequence over the
/// looks, and the requests per arm each look read.
struct CanaryPage: PageValues {
    static let template = "canary"

    struct CheckRow: TemplateValues {
        var expression: String
        var severity: String
        var outcome: String
        var outcomeClass: String
        var counts: String
        var interval: String
        var margin: String
        var reason: String
        var chart: RawHTML
        var hasChart: Bool
    }

    struct LookRow: TemplateValues {
        var look: String
        var at: String
        var verdict: String
        var baseline: String
        var canary: String
        var baselineTotal: String
        var canaryTotal: String
    }

    var model: String
    var modelHref: String
    var analysis: String
    var verdict: String
    var verdictClass: String
    var mode: String
    var baseline: String
    var canary: String
    var started: String
    var latest: String
    var lookCount: String
    var checks: [CheckRow]
    var looks: [LookRow]
}

extension CanaryPage {
    init(_ analysis: CanaryAnalysisHistory) {
        let latest = analysis.latest
        func n(_ x: Double) -> String { Formatting.significant(x, digits: 6) }
        let checks = latest.checks.enumerated().map { i, check in
            let series = analysis.looks.map { look in
                let c = i < look.checks.count && look.checks[i].expression == check.expression ? look.checks[i] : nil
                return ConfidenceBand.Look(look: look.look, lower: c?.lower, upper: c?.upper, estimate: c?.estimate)
            }
            let chart = ConfidenceBand(title: "\(check.expression): confidence sequence over the looks", looks: series, margin: check.margin).svg
            let interval = check.lower.flatMap { lo in check.upper.map { "[\(n(lo)), \(n($0))]" } } ?? Formatting.missing
            return CheckRow(
                expression: check.expression, severity: check.severity, outcome: check.outcome, outcomeClass: "outcome-" + Self.outcomeClass(check.outcome),
                counts: "\(check.nBaseline) / \(check.nCanary)", interval: interval, margin: n(check.margin), reason: check.reason,
                chart: RawHTML(chart), hasChart: !chart.isEmpty)
        }
        var baselineTotal = 0
        var canaryTotal = 0
        let looks = analysis.looks.map { look in
            baselineTotal += look.baselineEvents
            canaryTotal += look.canaryEvents
            return LookRow(
                look: String(look.look), at: look.at.rfc3339, verdict: look.verdict, baseline: String(look.baselineEvents), canary: String(look.canaryEvents),
                baselineTotal: String(baselineTotal), canaryTotal: String(canaryTotal))
        }
        self.init(
            model: latest.model, modelHref: "../" + SiteContent.modelPath(latest.model), analysis: analysis.id, verdict: latest.verdict,
            verdictClass: "decision-" + Self.outcomeClass(latest.verdict), mode: latest.mode, baseline: latest.baseline ?? Formatting.missing,
            canary: latest.canary ?? Formatting.missing, started: analysis.looks[0].at.rfc3339, latest: latest.at.rfc3339,
            lookCount: String(analysis.looks.count), checks: checks, looks: looks)
    }

    /// The stylesheet's classes: pass and fail keep theirs, anything undecided reads as inconclusive.
    static func outcomeClass(_ outcome: String) -> String {
        outcome == "pass" || outcome == "fail" ? outcome : "inconclusive"
    }
}
