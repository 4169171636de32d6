import TollgateCore
import TollgateStore

/// The DORA page (`dora.md`): per model the report's figures with their levels, and the same
/// figures week by week (`DoraCalculator.weeks`), as a chart and a table.
struct DoraPage: PageValues {
    static let template = "dora"

    struct Section: TemplateValues {
        var model: String
        var heading: String
        var asOf: String
        var rows: [Row]
        var chart: RawHTML
        var weeks: [Week]
        /// The recovery figure the report year grades (the weekly table's last column).
        var recoveryName: String
        var href: String
    }

    /// A figure as `tollgate dora` prints it.
    struct Row: TemplateValues {
        var metric: String
        var value: String
        var level: String
    }

    struct Week: TemplateValues {
        /// The week's Monday, a date.
        var week: String
        var deployments: String
        var leadTime: String
        var failureRate: String
        var recovery: String
    }

    var models: [Section]
    var hasModels: Bool
}

extension SiteContent {
    func doraPage() -> DoraPage {
        let sections = models.compactMap { model -> DoraPage.Section? in
            guard let d = dora[model] else { return nil }
            let rows = DoraFormat.rows(d).map { DoraPage.Row(metric: $0.metric, value: $0.value, level: $0.level.isEmpty ? Formatting.missing : $0.level) }
            let weeks = DoraCalculator(window: DoraWindow(end: d.window.end, days: d.window.days), benchmark: benchmark).weeks(facts, model: model)
            let bars = weeks.map { w in
                let failed = w.report.changeFailureRate.count
                return SVGChart.Bar(
                    label: "week of " + Formatting.day(w.monday.rfc3339), value: Double(w.report.deploymentFrequency.deployments),
                    note: failed > 0 ? "\(failed) failed" : "", highlighted: failed > 0)
            }
            return DoraPage.Section(
                model: model, heading: DoraFormat.heading(d), asOf: d.window.end.rfc3339, rows: rows,
                chart: RawHTML(SVGChart.bars(title: "Production deployments per week", bars, format: { String(Int($0)) })),
                weeks: weeks.map { w in
                    DoraPage.Week(
                        week: Formatting.day(w.monday.rfc3339), deployments: String(w.report.deploymentFrequency.deployments),
                        leadTime: Formatting.duration(w.report.changeLeadTime.median), failureRate: Formatting.percent(w.report.changeFailureRate.value),
                        recovery: Formatting.duration(w.report.gradedRecovery.figure.median))
                },
                recoveryName: d.gradedRecovery.name, href: Self.modelPath(model))
        }
        return DoraPage(models: sections, hasModels: !sections.isEmpty)
    }
}
