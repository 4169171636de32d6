import ArgumentParser
import Foundation
import TollgateCore
import TollgateSite
import TollgateStore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the candidates against the champion and exit with the gate's decision.",
        discussion: "Exit codes: 0 pass, 1 fail, 2 error, 3 inconclusive (see 'tollgate --help').")

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Write the run as JSON to this file.", valueName: "file"))
    var json: String?

    @Flag(help: "Give every metric in the JSON a 95% paired-bootstrap interval (resamples and seed: 'statistics:' in the config).")
    var intervals = false

    @Option(help: ArgumentHelp("Write JUnit XML (one testsuite per candidate and suite) to this file.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a GitHub-flavoured Markdown summary to this file (also appended to $GITHUB_STEP_SUMMARY when set).", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Where the site is published, for links from the summary.", valueName: "url"))
    var siteURL: String?

    @Option(help: ArgumentHelp("After recording, build the report site into this folder.", valueName: "dir"))
    var site: String?

    @OptionGroup var store: HistoryOptions

    @Flag(help: "Do not record the run in the history.")
    var noRecord = false

    @Flag(help: "When the gate passes, move @champion to the candidate and record the deployment (one candidate only).")
    var promote = false

    @Flag(help: "Score versions with a live scorer (scorer: {http: ...}) again instead of reading .tollgate/cache/scores.")
    var rescore = false

    @Flag(help: "Never colour the table.")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Print only the decision line.")
    var quiet = false

    func run() throws {
        let config = try options.load()
        let registry = config.registry()
        let showProgress = isatty(STDERR_FILENO) == 1 && !quiet
        // Resolved first so that --promote is refused before anything is evaluated; the gate reuses it.
        let resolution = try ResolvedVersions.resolve(config, in: registry)
        if promote, resolution.candidates.count != 1 {
            // Counted after folding: ["@challenger", "2"] naming one version is one candidate.
            throw TollgateError(
                .config, at: SourceLocation(file: options.config),
                "--promote needs exactly one candidate; this config has \(resolution.candidates.count)")
        }
        // Opened before the evaluation, so an unreachable store fails fast.
        let history = noRecord && !promote ? nil : try store.open(besideConfig: options.config)
        defer { history?.close() }
        var gate = Gate(config: config, registry: registry, commit: ProcessEnvironment.commit)
        gate.scoring.rescore = rescore
        let report = try gate.run(
            intervals: intervals,
            progress: { index, step in
                if showProgress { Console.note("[\(index + 1)/\(Gate.steps.count)] \(step)") }
            }, note: { if !quiet { Console.note($0) } }, resolution: resolution)
        if let json { try report.writeJSON(to: json) }
        if let junit { try Output.write(try JUnitReport(report: report).xml(), to: junit) }
        let markdown = MarkdownSummary(report: report, siteURL: siteURL).markdown()
        if let summary { try Output.write(Array(markdown.utf8), to: summary) }
        if let step = ProcessEnvironment.githubStepSummary {
            try Output.append(Array(markdown.utf8), to: step)
        }
        let text = TerminalReport(color: Console.wantsColor(STDOUT_FILENO, disabled: noColor)).render(report)
        print(quiet ? String(text.split(separator: "\n").last ?? "") : text, terminator: quiet ? "\n" : "")
        if let history {
            // Printed first, recorded second: a store that cannot be written still shows the
            // decision, and then fails the command (exit 2) rather than losing the run silently.
            let run = RunRecord(id: HistoryEvent.newID(), report: report, recordedAt: .now())
            try history.record(.run(run), now: .now())
            if !quiet { Console.note("recorded run \(run.id) in \(try store.location(besideConfig: options.config))") }
            if promote, report.exitCode == 0, let candidate = report.candidates.first {
                // Compare-and-set against the model as the run resolved it: a @champion moved
                // during the evaluation is refused, not overwritten.
                let result = try Promotion(registry: registry, history: history)
                    .promote(
                        model: report.model, version: candidate.version, alias: "champion", environment: Deployment.production, at: .now(),
                        resolved: resolution.model)
                print("promoted: @champion → \(report.model) version \(candidate.version)" + (result.previous.map { " (was \($0))" } ?? ""))
            } else if promote {
                print("not promoted: the gate did not pass")
            }
            if let site {
                // The run's own config and open history: no second load, no second connection.
                let templates = try SiteEnvironment.templates(overriddenBy: nil)
                let result = try SiteEnvironment.builder(history: history, templates: templates, registry: registry, output: site).build()
                if !quiet { Console.note("site: \(result.written) files written in \(site)") }
            }
        }
        throw ExitCode(report.exitCode)
    }
}
