import ArgumentParser
import Foundation
import TollgateCore
import TollgateStore

/// `tollgate dora`: delivery figures from the history, with their DORA levels.
struct Dora: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "DORA delivery metrics and ML figures from the history.",
        discussion: """
            Deployment frequency, change lead time (lower median and p90), change failure rate, failed deployment \
            recovery time (deployment to resolution; graded under 2023), time to restore service (incident opened \
            to resolved; graded under 2021) and rework rate over the window's whole UTC dates, as of its end, each \
            with its level under a DORA report year (2023 or 2021, with Apache DevLake's cut-offs); N/A when the \
            window has no data, and no failure-rate level for a model that tracks no incidents (see `record \
            incident-tracking`). Plus model age in production, registration to production time, gate pass rate, \
            rollback rate and flaky checks.
            """)

    @OptionGroup var store: HistoryOptions

    @Option(name: [.short, .long], help: "A gate config the default history sits beside.")
    var config: String = "tollgate.yml"

    @Option(help: "One model (default: every model in the history, each on its own).")
    var model: String?

    @Option(help: ArgumentHelp("The window's length: 90d, 12w, 6m.", valueName: "length"))
    var window: String = "90d"

    @Option(help: ArgumentHelp("The window's end (RFC 3339; default now).", valueName: "time"))
    var until: TimeArgument?

    @Option(help: "The DORA report whose levels to use: 2023 or 2021.")
    var reportYear: Int = 2023

    @Option(help: "table, json, markdown or openmetrics.")
    var format: DoraFormat = .table

    @Option(name: [.short, .long], help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        let benchmark = try DoraBenchmark.named(reportYear)
        let window = DoraWindow(end: until?.instant ?? .now(), days: try DoraWindow.parseDays(self.window))
        let history = try store.open(besideConfig: config)
        defer { history.close() }
        let facts = try history.doraFacts(model: model, since: window.start, until: window.end)
        let reports = DoraCalculator(window: window, benchmark: benchmark).reports(facts, models: model.map { [$0] })
        if reports.isEmpty, format == .table || format == .markdown {
            print("no history yet in \(try store.location(besideConfig: config)): record a run or a deployment first")
            return
        }
        let text = try format.render(reports)
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw TollgateError(.io, at: SourceLocation(file: out), "cannot write: \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }
}

extension DoraFormat: ExpressibleByArgument {}
