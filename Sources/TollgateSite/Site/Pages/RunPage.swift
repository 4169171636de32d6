import Foundation
import TollgateCore
import TollgateStore

/// A run's page (`run.md`, with the `checks` and `figures` partials): the decision banner, the
/// inputs, and per candidate its checks, its charts and its metrics beside the champion's.
struct RunPage: PageValues {
    static let template = "run"

    struct Candidate: TemplateValues {
        var version: String
        var reference: String
        var decision: String
        var decisionClass: String
        var checks: [CheckRow]
        var figures: [Figure]
        var hasFigures: Bool
        var diff: [DiffRow]
        /// The heading's id, for links to one candidate.
        var anchor: String
    }

    struct CheckRow: TemplateValues {
        var outcome: String
        var outcomeClass: String
        var suite: String
        var expression: String
        var value: String
        var champion: String
        var threshold: String
        var message: String
        var id: String
    }

    /// A chart with its caption.
    struct Figure: TemplateValues {
        var title: String
        var chart: RawHTML
    }

    /// How a version was scored by a live scorer: endpoint, requests, rows, errors, wall time, cache.
    struct ScoringRow: TemplateValues {
        var version: String
        var summary: String
    }

    /// A checked metric, champion against candidate.
    struct DiffRow: TemplateValues {
        var metric: String
        var champion: String
        var candidate: String
        var delta: String
    }

    var model: String
    var modelHref: String
    var at: String
    var decision: String
    var decisionClass: String
    var exitCode: String
    var champion: String
    var dataset: String
    var datasetSha: String
    var rows: String
    var commit: String
    var tool: String
    var duration: String
    var candidates: [Candidate]
    var scoring: [ScoringRow]
    var hasScoring: Bool
    var jsonHref: String
    var previousHref: String
    var hasPrevious: Bool
    var nextHref: String
    var hasNext: Bool
}

extension RunPage {
    init(_ run: RunRecord, previous: String?, next: String?) {
        let r = run.report
        self.init(
            model: r.model, modelHref: "../" + SiteContent.modelPath(r.model), at: run.at.rfc3339, decision: r.decision.rawValue,
            decisionClass: "decision-" + r.decision.rawValue, exitCode: String(r.exitCode), champion: r.champion.version,
            dataset: r.inputs.dataset.path, datasetSha: String(r.inputs.dataset.sha256.prefix(12)), rows: String(r.inputs.dataset.evaluatedRows),
            commit: r.inputs.commit ?? Formatting.missing, tool: "\(r.tool.name) \(r.tool.version)", duration: Formatting.seconds(r.durationSeconds),
            candidates: r.candidates.map { Self.candidate($0, of: r) }, scoring: Self.scoring(r), hasScoring: !Self.scoring(r).isEmpty,
            jsonHref: SafeText.fileName(run.id) + ".json",
            previousHref: previous.map { SafeText.fileName($0) + ".html" } ?? "", hasPrevious: previous != nil,
            nextHref: next.map { SafeText.fileName($0) + ".html" } ?? "", hasNext: next != nil)
    }

    /// The versions a live scorer scored, champion first.
    static func scoring(_ r: RunReport) -> [ScoringRow] {
        ([r.champion] + r.candidates).compactMap { v in v.scoring.map { ScoringRow(version: v.version, summary: $0.summary) } }
    }

    static func candidate(_ c: VersionReport, of r: RunReport) -> Candidate {
        let checks = (c.checks ?? []).map { check in
            CheckRow(
                outcome: check.outcome.rawValue, outcomeClass: "outcome-" + check.outcome.rawValue, suite: check.suite,
                expression: check.expression, value: Formatting.significant(check.value), champion: Formatting.significant(check.championValue),
                threshold: check.test?.summary ?? Formatting.significant(check.threshold), message: check.message.isEmpty ? Formatting.missing : check.message,
                id: "check-\(c.version)-\(check.suite)")
        }
        let diff = Set((c.checks ?? []).map(\.metric)).sorted().map { m in
            let a = r.champion.metrics[m]
            let b = c.metrics[m]
            return DiffRow(
                metric: m, champion: Formatting.significant(a), candidate: Formatting.significant(b),
                delta: Formatting.signed(a.flatMap { a in b.map { $0 - a } }))
        }
        let charts = figures(c, of: r)
        return Candidate(
            version: c.version, reference: c.reference, decision: c.decision?.rawValue ?? Formatting.missing,
            decisionClass: "decision-" + (c.decision?.rawValue ?? "none"), checks: checks, figures: charts,
            hasFigures: !charts.isEmpty, diff: diff, anchor: "candidate-" + SafeText.fileName(c.version))
    }

    /// The charts a candidate's metrics allow: ROC and confusion, disparities, latency, drift.
    static func figures(_ c: VersionReport, of r: RunReport) -> [Figure] {
        var figures: [Figure] = []
        if let curves = c.curves {
            let auc = { (m: [String: Double]) in m["roc_auc"].map { " (AUC \(Formatting.significant($0)))" } ?? "" }
            figures.append(
                Figure(
                    title: "ROC curve: candidate \(c.version) solid, champion \(r.champion.version) dashed",
                    chart: RawHTML(
                        SVGChart.roc(
                            title: "ROC curve",
                            [
                                ("candidate \(c.version)" + auc(c.metrics), curves.roc, false),
                                ("champion \(r.champion.version)" + auc(r.champion.metrics), r.champion.curves?.roc ?? [], true)
                            ]))))
            figures.append(
                Figure(title: "Confusion matrix at the decision threshold", chart: RawHTML(SVGChart.confusion(title: "Confusion matrix", curves.confusion))))
        }
        let thresholds = Dictionary((c.checks ?? []).compactMap { check in check.threshold.map { (check.metric, $0) } }, uniquingKeysWith: { a, _ in a })
        let di = sliced(c.metrics, "disparate_impact").filter { $0.key.contains("=") }
        if !di.isEmpty {
            let threshold = thresholds.first { $0.key.hasPrefix("disparate_impact[") }?.value ?? 0.8
            figures.append(
                Figure(
                    title: "Disparate impact per group (against the reference group)",
                    chart: RawHTML(
                        SVGChart.bars(
                            title: "Disparate impact per group",
                            di.map {
                                .init(
                                    label: $0.key, value: $0.value, note: $0.value < threshold ? "below \(Formatting.significant(threshold))" : "",
                                    highlighted: $0.value < threshold)
                            },
                            threshold: threshold))))
        }
        let sr = sliced(c.metrics, "selection_rate").filter { $0.key.contains("=") }
        if !sr.isEmpty {
            figures.append(
                Figure(
                    title: "Selection rate per group",
                    chart: RawHTML(SVGChart.bars(title: "Selection rate per group", sr.map { .init(label: $0.key, value: $0.value) }))))
        }
        if let bins = c.latencyDistribution, !bins.isEmpty {
            var markers = ["p50_ms", "p95_ms", "p99_ms"].compactMap { k in c.metrics[k].map { (label: String(k.dropLast(3)), value: $0, alert: false) } }
            if let threshold = thresholds["p95_ms"] { markers.append((label: "p95 limit", value: threshold, alert: true)) }
            // Under a live load the figure says how hard the servers were pushed: the rate the
            // schedule asked for and the rate the client achieved.
            let title =
                c.load.map {
                    "Live latency distribution (ms, from each request's intended send time) with its percentiles; "
                        + "\(Formatting.decimal($0.achievedRPS)) of \(Formatting.decimal($0.targetRPS)) requests/s achieved"
                } ?? "Latency distribution (ms) with its percentiles"
            figures.append(
                Figure(
                    title: title,
                    chart: RawHTML(
                        SVGChart.histogram(
                            title: "Requests by latency in milliseconds", xLabel: "latency (ms)", bins, markers: markers))))
        }
        let psi = sliced(c.metrics, "psi")
        if !psi.isEmpty {
            let threshold = thresholds.first { $0.key.hasPrefix("psi[") }?.value
            figures.append(
                Figure(
                    title: "Drift per column (PSI)",
                    chart: RawHTML(
                        SVGChart.bars(
                            title: "Population stability index per column",
                            psi.map { p in
                                let drifted = c.metrics["drifted[\(p.key)]"] == 1
                                return .init(label: p.key, value: p.value, note: drifted ? "drifted" : "", highlighted: drifted)
                            }, threshold: threshold))))
        }
        return figures
    }

    /// `name[slice]` metrics with finite values, by slice.
    static func sliced(_ metrics: [String: Double], _ name: String) -> [(key: String, value: Double)] {
        metrics.compactMap { k, v -> (String, Double)? in
            guard k.hasPrefix(name + "["), k.hasSuffix("]"), v.isFinite else { return nil }
            return (String(k.dropFirst(name.count + 1).dropLast()), v)
        }.sorted { $0.0 < $1.0 }
    }
}
