import Foundation
import TollgateCore
import TollgateStore

/// What the site shows, read once from the history: runs by model, deployments, DORA.
struct SiteContent {
    var history: SQLHistory
    var runs: [String: [RunSummary]] = [:]
    var deployments: [String: [Deployment]] = [:]
    var dora: [String: DoraReport] = [:]
    var facts = DoraFacts()
    var benchmark = DoraBenchmark.y2023
    var cards: [String: [(version: String, markdown: String)]] = [:]
    var generated = ""
    var models: [String] { Array(Set(runs.keys).union(deployments.keys)).sorted() }

    static func load(from history: SQLHistory, registry: DirectoryRegistry?, windowDays: Int, reportYear: Int) throws(TollgateError) -> SiteContent {
        var content = SiteContent(history: history)
        for run in try history.runSummaries() { content.runs[run.model, default: []].append(run) }
        for d in try history.deployments() { content.deployments[d.model, default: []].append(d) }
        var newest = try history.newestEventTime() ?? Instant(milliseconds: 0)
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(epoch) {
            newest = Instant(milliseconds: seconds * 1000)
        }
        content.generated = newest.milliseconds == 0 ? "no history yet" : newest.rfc3339
        // DORA as of the newest event, so the page does not change while the history does not.
        let end = Instant(milliseconds: newest.milliseconds + 1)
        content.facts = try history.doraFacts(model: nil, until: end)
        content.benchmark = try DoraBenchmark.named(reportYear)
        let calculator = DoraCalculator(window: DoraWindow(end: end, days: windowDays), benchmark: content.benchmark)
        for report in calculator.reports(content.facts, models: content.models) { content.dora[report.model] = report }
        if let registry {
            for model in content.models {
                guard let registered = try? registry.model(model) else { continue }
                for version in registered.versions {
                    guard let v = try? registry.version(version, of: registered, referencedAt: nil), let path = v.modelCard,
                        let text = try? String(contentsOfFile: path, encoding: .utf8)
                    else { continue }
                    content.cards[model, default: []].append((version, text))
                }
            }
        }
        return content
    }

    // MARK: Paths (every name from the registry goes through SafeText.fileName)

    static func modelPath(_ model: String) -> String { "models/\(SafeText.fileName(model)).html" }
    static func runPath(_ id: String) -> String { "runs/\(SafeText.fileName(id)).html" }
    static func runJSONPath(_ id: String) -> String { "runs/\(SafeText.fileName(id)).json" }
    static func cardPath(_ model: String, _ version: String) -> String { "cards/\(SafeText.fileName(model))/\(SafeText.fileName(version)).html" }

    func pages() -> [SitePage] {
        var pages: [SitePage] = [
            SitePage(path: "index.html", title: "Tollgate", root: "", body: .template("index", indexContext())),
            SitePage(path: "dora.html", title: "Delivery (DORA)", root: "", body: .template("dora", doraContext())),
        ]
        let listing = ModelListing(count: models.count)
        for page in 1...listing.count {
            pages.append(SitePage(path: listing.path(page), title: "All models, page \(page) of \(listing.count)", root: "", body: .template("all-models", allModelsContext(page: page, of: listing))))
        }
        for model in models {
            let paging = RunPages(model: model, runCount: runs[model]?.count ?? 0)
            for page in 1...paging.count {
                pages.append(SitePage(path: paging.path(page), title: page == 1 ? model : "\(model), runs page \(page) of \(paging.count)",
                                      root: paging.root(page), body: .template("model", modelContext(model, page: page, of: paging))))
            }
            let modelRuns = runs[model] ?? []
            for (i, run) in modelRuns.enumerated() {
                let previous = i > 0 ? modelRuns[i - 1].id : nil
                let next = i + 1 < modelRuns.count ? modelRuns[i + 1].id : nil
                // A run's page changes only while it is the model's latest (it gains a "next" link).
                let history = self.history
                let id = run.id
                pages.append(SitePage(path: Self.runPath(run.id), title: "\(model) run \(run.at.rfc3339)", root: "../",
                                      body: .deferred { () throws(TollgateError) in
                                          .template("run", Self.runContext(try Self.record(id, in: history), previous: previous, next: next))
                                      }, immutable: next != nil))
                pages.append(SitePage(path: Self.runJSONPath(run.id), title: "", root: "../",
                                      body: .deferred { () throws(TollgateError) in .raw(Self.json(try Self.record(id, in: history).report)) }, immutable: true))
            }
            for card in cards[model] ?? [] {
                pages.append(SitePage(path: Self.cardPath(model, card.version), title: "\(model) \(card.version) model card", root: "../../",
                                      body: .template("card", ["model": model, "version": card.version, "modelHref": "../../" + Self.modelPath(model),
                                                               "card": RawHTML(Markdown.html(card.markdown, trusted: false))])))
            }
        }
        return pages
    }

    static func record(_ id: String, in history: SQLHistory) throws(TollgateError) -> RunRecord {
        guard let record = try history.run(id: id) else { throw TollgateError(.history, "run \(id) vanished from the history while the site was built") }
        return record
    }

    static func json(_ report: RunReport) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(report)) ?? Data("{}".utf8)) + [0x0A]
    }

    // MARK: Contexts (preformatted strings only: Mustache prints Doubles with every digit)

    static func tiles(_ d: DoraReport) -> [[String: String]] {
        [
            ["name": "Deployment frequency", "value": d.deploymentFrequency.perDay.map { String(format: "%.2f/day", $0) } ?? "N/A", "level": d.deploymentFrequency.level?.rawValue ?? "N/A"],
            ["name": "Lead time (median)", "value": duration(d.changeLeadTime.median), "level": d.changeLeadTime.level?.rawValue ?? "N/A"],
            ["name": "Change failure rate", "value": percent(d.changeFailureRate.value), "level": d.changeFailureRate.level?.rawValue ?? "N/A"],
            ["name": "Recovery time (median)", "value": duration(d.gradedRecovery.figure.median), "level": d.gradedRecovery.figure.level?.rawValue ?? "N/A"],
        ]
    }

    static func runContext(_ run: RunRecord, previous: String?, next: String?) -> [String: Any] {
        let r = run.report
        let candidates: [[String: Any]] = r.candidates.map { c in
            let checks: [[String: String]] = (c.checks ?? []).map { check in
                [
                    "outcome": check.outcome.rawValue, "outcomeClass": "outcome-" + check.outcome.rawValue, "suite": check.suite,
                    "expression": check.expression, "value": Self.number(check.value), "champion": Self.number(check.championValue),
                    "threshold": check.test?.summary ?? Self.number(check.threshold), "message": check.message.isEmpty ? "–" : check.message, "id": "check-\(c.version)-\(check.suite)",
                ]
            }
            var figures: [[String: Any]] = []
            if let curves = c.curves {
                let auc = { (m: [String: Double]) in m["roc_auc"].map { " (AUC \(Self.number($0)))" } ?? "" }
                figures.append(["title": "ROC curve: candidate \(c.version) solid, champion \(r.champion.version) dashed", "chart": RawHTML(SVGChart.roc(
                    title: "ROC curve", [("candidate \(c.version)" + auc(c.metrics), curves.roc, false),
                                         ("champion \(r.champion.version)" + auc(r.champion.metrics), r.champion.curves?.roc ?? [], true)]))])
                figures.append(["title": "Confusion matrix at the decision threshold", "chart": RawHTML(SVGChart.confusion(title: "Confusion matrix", curves.confusion))])
            }
            let thresholds = Dictionary((c.checks ?? []).compactMap { check in check.threshold.map { (check.metric, $0) } }, uniquingKeysWith: { a, _ in a })
            let di = Self.sliced(c.metrics, "disparate_impact").filter { $0.key.contains("=") }
            if !di.isEmpty {
                let threshold = thresholds.first { $0.key.hasPrefix("disparate_impact[") }?.value ?? 0.8
                figures.append(["title": "Disparate impact per group (against the reference group)", "chart": RawHTML(SVGChart.bars(
                    title: "Disparate impact per group", di.map { .init(label: $0.key, value: $0.value, note: $0.value < threshold ? "below \(Self.number(threshold))" : "", highlighted: $0.value < threshold) },
                    threshold: threshold))])
            }
            let sr = Self.sliced(c.metrics, "selection_rate").filter { $0.key.contains("=") }
            if !sr.isEmpty {
                figures.append(["title": "Selection rate per group", "chart": RawHTML(SVGChart.bars(title: "Selection rate per group", sr.map { .init(label: $0.key, value: $0.value) }))])
            }
            if let bins = c.latencyDistribution, !bins.isEmpty {
                var markers = ["p50_ms", "p95_ms", "p99_ms"].compactMap { k in c.metrics[k].map { (label: String(k.dropLast(3)), value: $0, alert: false) } }
                if let threshold = thresholds["p95_ms"] { markers.append((label: "p95 limit", value: threshold, alert: true)) }
                figures.append(["title": "Latency distribution (ms) with its percentiles", "chart": RawHTML(SVGChart.histogram(
                    title: "Requests by latency in milliseconds", xLabel: "latency (ms)", bins, markers: markers))])
            }
            let psi = Self.sliced(c.metrics, "psi")
            if !psi.isEmpty {
                let threshold = thresholds.first { $0.key.hasPrefix("psi[") }?.value
                figures.append(["title": "Drift per column (PSI)", "chart": RawHTML(SVGChart.bars(
                    title: "Population stability index per column", psi.map { p in
                        let drifted = c.metrics["drifted[\(p.key)]"] == 1
                        return .init(label: p.key, value: p.value, note: drifted ? "drifted" : "", highlighted: drifted)
                    }, threshold: threshold))])
            }
            let metricNames = Set((c.checks ?? []).map(\.metric)).sorted()
            let diff: [[String: String]] = metricNames.map { m in
                let a = r.champion.metrics[m], b = c.metrics[m]
                let delta = (a != nil && b != nil) ? b! - a! : nil
                return ["metric": m, "champion": Self.number(a), "candidate": Self.number(b), "delta": delta.map { String(format: "%+.4g", $0) } ?? "–"]
            }
            return [
                "version": c.version, "reference": c.reference, "decision": c.decision?.rawValue ?? "–",
                "decisionClass": "decision-" + (c.decision?.rawValue ?? "none"), "checks": checks, "figures": figures,
                "hasFigures": !figures.isEmpty, "diff": diff, "anchor": "candidate-" + SafeText.fileName(c.version),
            ]
        }
        return [
            "model": r.model, "modelHref": "../" + Self.modelPath(r.model), "at": run.at.rfc3339, "decision": r.decision.rawValue,
            "decisionClass": "decision-" + r.decision.rawValue, "exitCode": String(r.exitCode), "champion": r.champion.version,
            "dataset": r.inputs.dataset.path, "datasetSha": String(r.inputs.dataset.sha256.prefix(12)), "rows": String(r.inputs.dataset.evaluatedRows),
            "commit": r.inputs.commit ?? "–", "tool": "\(r.tool.name) \(r.tool.version)", "duration": String(format: "%.2f s", r.durationSeconds),
            "candidates": candidates, "jsonHref": SafeText.fileName(run.id) + ".json",
            "previousHref": previous.map { SafeText.fileName($0) + ".html" } ?? "", "hasPrevious": previous != nil,
            "nextHref": next.map { SafeText.fileName($0) + ".html" } ?? "", "hasNext": next != nil,
        ]
    }

    func doraContext() -> [String: Any] {
        let sections: [[String: Any]] = models.compactMap { model in
            guard let d = dora[model] else { return nil }
            let rows = DoraFormat.rows(d).map { ["metric": $0.metric, "value": $0.value, "level": $0.level.isEmpty ? "–" : $0.level] }
            // The figures week by week: each ISO week the window touches is a window of its own.
            var weeks: [[String: String]] = []
            var bars: [SVGChart.Bar] = []
            for w in d.window.start.isoWeek...Instant(milliseconds: d.window.end.milliseconds - 1).isoWeek {
                let monday = Instant.startOfISOWeek(w)
                let week = DoraCalculator(window: DoraWindow(end: Instant.startOfISOWeek(w + 1), days: 7), benchmark: benchmark)
                    .reports(facts, models: [model])[0]
                let label = String(monday.rfc3339.prefix(10))
                weeks.append([
                    "week": label, "deployments": String(week.deploymentFrequency.deployments),
                    "leadTime": Self.duration(week.changeLeadTime.median), "failureRate": Self.percent(week.changeFailureRate.value),
                    "recovery": Self.duration(week.gradedRecovery.figure.median),
                ])
                let failed = week.changeFailureRate.count
                bars.append(.init(label: "week of " + label, value: Double(week.deploymentFrequency.deployments),
                                  note: failed > 0 ? "\(failed) failed" : "", highlighted: failed > 0))
            }
            let chart = SVGChart.bars(title: "Production deployments per week", bars, format: { String(Int($0)) })
            return [
                "model": model, "heading": DoraFormat.heading(d), "asOf": d.window.end.rfc3339, "rows": rows, "chart": RawHTML(chart),
                "weeks": weeks, "recoveryName": d.gradedRecovery.name, "href": Self.modelPath(model),
            ]
        }
        return ["models": sections, "hasModels": !sections.isEmpty]
    }

    static func sliced(_ metrics: [String: Double], _ name: String) -> [(key: String, value: Double)] {
        metrics.compactMap { k, v -> (String, Double)? in
            guard k.hasPrefix(name + "["), k.hasSuffix("]"), v.isFinite else { return nil }
            return (String(k.dropFirst(name.count + 1).dropLast()), v)
        }.sorted { $0.0 < $1.0 }
    }

    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.4g", v)
    }

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "N/A" }

    static func duration(_ s: Double?) -> String {
        guard let s else { return "N/A" }
        if s < 3600 { return String(format: "%.0f min", s / 60) }
        if s < 86_400 { return String(format: "%.1f h", s / 3600) }
        return String(format: "%.1f d", s / 86_400)
    }
}
