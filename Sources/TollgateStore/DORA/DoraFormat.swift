import Foundation
import TollgateCore

/// The ways `tollgate dora` prints its reports.
public enum DoraFormat: String, Sendable, CaseIterable {
    case table, json, markdown, openmetrics

    public func render(_ reports: [DoraReport]) throws(TollgateError) -> String {
        switch self {
        case .table: reports.map(DoraText.table).joined(separator: "\n")
        case .markdown: reports.map(DoraText.markdown).joined(separator: "\n")
        case .json: try DoraText.json(reports)
        case .openmetrics: DoraOpenMetrics.render(reports)
        }
    }
}

/// Human-readable figures, written by `Formatting` (durations in the largest unit that keeps
/// them readable), so the site and the terminal read the same.
enum DoraText {
    static let notAvailable = Formatting.notAvailable

    static func percent(_ rate: DoraReport.Rate) -> String {
        guard let v = rate.value else { return "\(notAvailable) (no data in window)" }
        return Formatting.percent(v) + " (\(rate.count) of \(rate.of))"
    }

    static func level(_ level: DoraLevel?, hasData: Bool) -> String {
        if let level { return level.rawValue }
        return hasData ? "—" : notAvailable
    }

    /// (metric, value, level) rows, shared by the terminal table and Markdown.
    static func rows(_ r: DoraReport) -> [(String, String, String)] {
        let f = r.deploymentFrequency
        let frequency: String =
            f.perDay.map {
                "\(Formatting.fixed($0, places: 2))/day, \(Formatting.fixed($0 * 7, places: 1))/week (\(f.deployments) deployments on \(f.deploymentDays) days; "
                    + "median \(Formatting.significant(f.medianDaysPerWeek ?? 0, digits: 6)) days/week)"
            }
            ?? "\(notAvailable) (no production deployments in window)"
        func durationText(_ d: DoraReport.Duration, _ none: String) -> String {
            d.median.map { _ in "median \(Formatting.duration(d.median)), p90 \(Formatting.duration(d.p90)) (n=\(d.count))" } ?? "\(notAvailable) (\(none))"
        }
        var rows: [(String, String, String)] = [
            ("deployment frequency", frequency, level(f.level, hasData: f.perDay != nil)),
            (
                "change lead time", durationText(r.changeLeadTime, "no commits first deployed in window"),
                level(r.changeLeadTime.level, hasData: r.changeLeadTime.count > 0)
            ),
            changeFailureRow(r),
            recoveryRow(r, .failedDeploymentRecoveryTime, durationText(r.failedDeploymentRecoveryTime, "no recoveries in window")),
            recoveryRow(r, .timeToRestoreService, durationText(r.timeToRestoreService, "no incidents resolved in window")),
            ("rework rate", percent(r.reworkRate), r.reworkRate.value == nil ? notAvailable : "— (no published levels)")
        ]
        let ml = r.ml
        rows.append(
            (
                "model age in production",
                ml.modelAge.map { "\(Formatting.duration($0)) (version \(ml.productionVersion ?? "?"))" } ?? "\(notAvailable) (never deployed)", ""
            ))
        rows.append(("registration to production", durationText(ml.registrationToProduction, "no first deployments with a registration time"), ""))
        rows.append(
            (
                "gate pass rate",
                percent(ml.gatePassRate)
                    + (ml.firstAttemptPassRate.value.map {
                        "; first attempt \(Formatting.percent($0))" + " (\(ml.firstAttemptPassRate.count) of \(ml.firstAttemptPassRate.of))"
                    } ?? ""), ""
            ))
        rows.append(("rollback rate", percent(ml.rollbackRate), ""))
        let canary = ml.canary
        rows.append(
            (
                "canary analyses",
                canary.total == 0 ? "none in window" : "\(canary.passed) passed, \(canary.failed) failed, \(canary.undecided) undecided (of \(canary.total))",
                ""
            ))
        rows.append(("flaky checks", ml.flakyChecks.isEmpty ? "none" : "\(ml.flakyChecks.count)", ""))
        for flaky in ml.flakyChecks {
            rows.append(
                (
                    "  \(flaky.expression)",
                    "version \(flaky.version): \(flaky.outcomes.joined(separator: "/")) over \(flaky.runs) runs, \(flaky.flips) flip\(flaky.flips == 1 ? "" : "s")",
                    ""
                ))
        }
        return rows
    }

    /// Without incident tracking the rate is shown but not graded: no incidents may mean none
    /// were recorded, not none happened.
    static func changeFailureRow(_ r: DoraReport) -> (String, String, String) {
        let c = r.changeFailureRate
        guard c.value != nil, r.incidentsTrackedSince == nil else {
            return ("change failure rate", percent(c), level(c.level, hasData: c.value != nil))
        }
        return ("change failure rate", percent(c) + "; \(noIncidentsRecorded)", "\(notAvailable) (incidents not tracked)")
    }

    static let noIncidentsRecorded = "no incidents recorded for this model"

    /// Both recovery figures are shown; only the report year's own is graded.
    static func recoveryRow(_ r: DoraReport, _ figure: DoraBenchmark.RecoveryFigure, _ value: String) -> (String, String, String) {
        let (name, d, year) =
            switch figure {
            case .failedDeploymentRecoveryTime: ("failed deployment recovery time", r.failedDeploymentRecoveryTime, 2023)
            case .timeToRestoreService: ("time to restore service", r.timeToRestoreService, 2021)
            }
        let graded = DoraBenchmark.supported.first { $0.year == r.reportYear }?.grades(figure) ?? false
        guard graded || d.count == 0 else { return (name, value, "— (graded under DORA \(year))") }
        return (name, value, level(d.level, hasData: d.count > 0))
    }

    static func heading(_ r: DoraReport) -> String {
        "DORA for \(r.model): \(r.window.start.rfc3339) to \(r.window.end.rfc3339) (\(r.window.days) days, whole UTC dates), as of \(r.window.end.rfc3339): "
            + "incidents and resolutions recorded after it are not counted; levels from the DORA \(r.reportYear) report (DevLake cut-offs)"
    }

    static func table(_ r: DoraReport) -> String {
        let rows = [("metric", "value", "level")] + rows(r)
        let w0 = rows.map(\.0.count).max()!
        let w1 = rows.map(\.1.count).max()!
        var out = heading(r) + "\n"
        for (i, row) in rows.enumerated() {
            out += row.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + row.1.padding(toLength: w1, withPad: " ", startingAt: 0) + "  " + row.2
            out = String(out.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
            if i == 0 { out += String(repeating: "-", count: w0 + w1 + 12) + "\n" }
        }
        return out
    }

    static func markdown(_ r: DoraReport) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "### \(cell(heading(r)))\n\n| metric | value | level |\n|---|---|---|\n"
        for row in rows(r) { out += "| \(cell(row.0)) | \(cell(row.1)) | \(cell(row.2)) |\n" }
        return out
    }

    static func json(_ reports: [DoraReport]) throws(TollgateError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n"
        } catch {
            throw TollgateError(.io, "cannot encode the DORA report: \(error)")
        }
    }
}

extension DoraFormat {
    /// The rows every human-readable format shows, for other renderers (the site).
    public static func rows(_ report: DoraReport) -> [(metric: String, value: String, level: String)] {
        DoraText.rows(report).map { ($0.0, $0.1, $0.2) }
    }

    public static func heading(_ report: DoraReport) -> String { DoraText.heading(report) }
}
