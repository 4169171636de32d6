import Foundation
import TollgateCore

/// The run as GitHub-flavoured Markdown for a job summary or a pull-request comment.
///
/// The decision comes first, then every check that did not pass (failures before anything
/// else), then champion against candidate per metric. GitHub refuses a step summary over
/// 1 MiB, so the tables are cut with a note long before that.
public struct MarkdownSummary: Sendable {
    public var report: RunReport
    /// Where the published site lives; the summary links to the run's page there.
    public var siteURL: String?
    public var runPage: String?
    /// GitHub's cap is 1 MiB; stay well inside it.
    public static let limit = 1_000_000

    public init(report: RunReport, siteURL: String? = nil, runPage: String? = nil) {
        self.report = report
        self.siteURL = siteURL
        self.runPage = runPage
    }

    public func markdown() -> String {
        let decision = report.decision
        let icon =
            switch decision {
            case .pass: "✅"
            case .fail: "❌"
            case .inconclusive: "⚠️"
            case .error: "⛔"
            }
        var out = "## \(icon) Tollgate: \(Self.cell(report.model)) — \(decision.rawValue.uppercased()) (exit \(report.exitCode))\n\n"
        out +=
            "Champion \(Self.code(report.champion.version)); dataset `\(report.inputs.dataset.sha256.prefix(12))` (\(report.inputs.dataset.evaluatedRows) rows)"
        if let url = siteURL, let page = runPage {
            out += " · [full report](\(Self.linkTarget(url, page)))"
        }
        out += "\n\n"
        out += "| candidate | decision | failed | inconclusive | warnings |\n|---|---|---|---|---|\n"
        for c in report.candidates {
            let checks = c.checks ?? []
            out +=
                "| \(Self.code(c.version)) \(Self.cell(c.reference)) | \(c.decision?.rawValue ?? "-") | \(checks.filter { $0.outcome == .fail }.count) | \(checks.filter { $0.outcome == .inconclusive }.count) | \(checks.filter { $0.outcome == .warn }.count) |\n"
        }
        let rank: [Outcome: Int] = [.fail: 0, .error: 1, .inconclusive: 2, .warn: 3]
        let notPassed = report.candidates.flatMap { c in (c.checks ?? []).filter { $0.outcome != .pass }.map { (c, $0) } }
            .sorted { (rank[$0.1.outcome] ?? 9) < (rank[$1.1.outcome] ?? 9) }
        var body = ""
        if !notPassed.isEmpty {
            body += "\n### Checks that did not pass\n\n| outcome | candidate | check | value | champion | threshold | why |\n|---|---|---|---|---|---|---|\n"
            for (c, check) in notPassed {
                body +=
                    "| \(check.outcome.rawValue) | \(Self.code(c.version)) | \(Self.code(check.expression)) | \(Self.number(check.value)) | \(Self.number(check.championValue)) | \(check.test.map { Self.cell($0.summary) } ?? Self.number(check.threshold)) | \(Self.cell(check.message)) |\n"
            }
        }
        body += "\n### Champion vs candidates\n\n| metric | champion \(Self.code(report.champion.version)) |"
        body +=
            report.candidates.map { " \(Self.code($0.version)) |" }.joined() + "\n|---|---|" + String(repeating: "---|", count: report.candidates.count) + "\n"
        let metrics = Set(report.candidates.flatMap { ($0.checks ?? []).map(\.metric) }).sorted()
        for metric in metrics {
            body += "| \(Self.code(metric)) | \(Self.number(report.champion.metrics[metric])) |"
            body += report.candidates.map { " \(Self.number($0.metrics[metric])) |" }.joined() + "\n"
        }
        let room = Self.limit - out.utf8.count - 200
        if body.utf8.count > room {
            var cut = ""
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                if cut.utf8.count + line.utf8.count + 1 > room { break }
                cut += line + "\n"
            }
            body = cut + "\n_…cut to stay under GitHub's 1 MiB summary limit; the full run is in the JSON report._\n"
        }
        return out + body
    }

    static func number(_ v: Double?) -> String { Formatting.significant(v) }

    /// Registry text in a table cell: no pipes, no newlines, no HTML, no Markdown links.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "[", "]", "(", ")", "*", "_", "`", "!", "#", "~", "\\": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    /// Inline code for identifiers: backticks inside become a longer fence.
    static func code(_ s: String) -> String {
        let clean = s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
        return clean.contains("`") ? "`` \(clean) ``" : "`\(clean)`"
    }

    static func linkTarget(_ base: String, _ page: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return (trimmed + "/" + page).replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: ")", with: "%29")
    }
}
