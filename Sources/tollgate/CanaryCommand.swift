import ArgumentParser
import Foundation
import TollgateCore
import TollgateSite
import TollgateStore

/// `tollgate canary`: one look at a canary's events, an anytime-valid verdict, an exit code.
extension CanaryConfig.Mode: ExpressibleByArgument {}

struct Canary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge a canary from its request events with anytime-valid tests (one look per run).",
        discussion: """
            Each check compares the canary arm with the baseline arm by a normal-mixture \
            confidence sequence, so repeated looks stay valid. With --state, each run is the next \
            look of the same test and reads only events appended since the last look.

            EXIT CODES
              0  pass: every blocking check shown within its margin; promote
              1  fail: a blocking check shown beyond its margin; roll back
              2  error: bad config, malformed events (file:line), unreadable source, foreign state
              3  continue: not enough evidence yet, look again; or inconclusive: the horizon
                 (max_samples or max_duration) reached undecided (1 with --on-inconclusive fail)
            """)

    enum OnInconclusive: String, ExpressibleByArgument, CaseIterable {
        case fail, inconclusive
    }

    @Option(name: [.short, .long], help: "The canary config (YAML).")
    var config: String = "canary.yml"

    @Option(help: ArgumentHelp("Events: a JSON Lines file, a folder of .jsonl files, or '-' for stdin (default: source.events).", valueName: "file|dir|-"))
    var events: String?

    @Option(help: ArgumentHelp("Sequential state kept between looks (created if missing).", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("Write the verdict as JSON.", valueName: "file"))
    var json: String?

    /// Its own option rather than `HistoryOptions`: a look is recorded only when asked, never
    /// into a default store beside the config.
    @Option(
        help: ArgumentHelp(
            "Record the look in this history: a file path or sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: not recorded).",
            valueName: "url"))
    var history: String?

    @Option(help: ArgumentHelp("After recording the look (needs --history), build the report site into this folder.", valueName: "dir"))
    var site: String?

    @Option(
        help: ArgumentHelp(
            "A shadow run without a service mesh: send this gate config's dataset, one row per request, to the baseline's and the canary's http scorers and judge the paired answers.",
            valueName: "gate config"))
    var replay: String?

    @Option(help: ArgumentHelp("With --replay: replay at most this many rows (default: the whole dataset).", valueName: "n"))
    var replayRows: Int?

    @Option(help: ArgumentHelp("With --replay: also write the replay's events (JSON Lines) here, to judge them again with --events.", valueName: "file"))
    var saveEvents: String?

    @Option(help: ArgumentHelp("Override the config's mode (canary: separate traffic per arm; shadow: every request to both, paired).", valueName: "mode"))
    var mode: CanaryConfig.Mode?

    @Option(help: "'fail' maps an inconclusive verdict (the horizon reached undecided) to exit 1; 'continue' (look again) stays 3.")
    var onInconclusive: OnInconclusive = .inconclusive

    func run() throws {
        if replay != nil, events != nil || state != nil {
            throw TollgateError(
                .config, at: SourceLocation(file: "--replay"),
                "--replay sends its own requests and judges them in one look: it cannot be combined with \(events != nil ? "--events" : "--state")")
        }
        if events == "-", let statePath = self.state {
            throw TollgateError(
                .config, at: SourceLocation(file: statePath),
                "--events - cannot be combined with --state: stdin has no position to resume from, so every look would count the same events again; give a file or folder of events"
            )
        }
        if replay == nil, replayRows != nil || saveEvents != nil {
            throw TollgateError(
                .config, at: SourceLocation(file: replayRows != nil ? "--replay-rows" : "--save-events"), "this option goes with --replay GATE_CONFIG")
        }
        if site != nil, self.history == nil {
            throw TollgateError(
                .config, at: SourceLocation(file: "--site"), "--site builds the site from the history the look is recorded in: give --history URL too")
        }
        // Templates first: a broken template is reported before anything is read or recorded.
        let templates = try site.map { _ throws(TollgateError) in try SiteEnvironment.templates(overriddenBy: nil) }
        var config = try CanaryConfig.load(path: config)
        try overrideMode(&config)
        var state = try state.map { path throws(TollgateError) in try CanaryState.load(path: path, for: config) } ?? CanaryState(for: config)
        var newEvents = CanaryEventCounts()
        func look(_ events: [CanaryEvent]) throws(TollgateError) {
            for event in events { try CanaryAnalysis.add(event, config: config, state: &state) }
            newEvents = CanaryEventCounts(events)
        }
        if let replay {
            let data = try Self.replay(gate: replay, config: config, configPath: self.config, rows: replayRows)
            if let saveEvents { try Output.write(Array(data), to: saveEvents) }
            try look(try CanaryEventReader.read(data: data, file: "<replay of \(replay)>", finalLineComplete: true).events)
        } else if events == nil, config.events == nil, let prometheus = config.prometheus {
            newEvents = try CanaryAnalysis.addCounted(from: prometheus, config: config, state: &state)
        } else {
            guard let source = events ?? config.events else {
                throw TollgateError(
                    .config, at: SourceLocation(file: self.config), "no events: give --events FILE|DIR|-, or source.events or source.prometheus in the config")
            }
            if source == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                try look(try CanaryEventReader.read(data: data, file: "<stdin>", finalLineComplete: true).events)
            } else {
                newEvents = try CanaryAnalysis.addUnread(from: source, config: config, state: &state, resumable: self.state != nil)
            }
        }
        let verdict = CanaryAnalysis.conclude(config: config, state: &state)
        let history = try self.history.map { url throws(TollgateError) in
            try SQLHistory.open(try HistoryLocation(url), credentials: ProcessEnvironment.postgresCredentials)
        }
        defer { history?.close() }
        if history != nil, state.analysisID == nil { state.analysisID = HistoryEvent.newID() }
        // The state is written aside, the look recorded, then the state put in place: an error
        // writing the state or recording leaves the previous look's state and no record of this
        // look. (Only the final rename can fail after the record; that look is then recorded and
        // the state is the previous one.)
        let staged = try self.state.map { path throws(TollgateError) in try state.stage(path: path) }
        if let history, let analysis = state.analysisID {
            let now = Instant.now()
            let record = CanaryAnalysisRecord(
                id: HistoryEvent.newID(), analysis: analysis, at: now, config: config, verdict: verdict, newEvents: newEvents, recordedAt: now)
            do {
                try history.record(.canaryAnalysis(record), now: now)
            } catch {
                staged?.discard()
                throw error
            }
        }
        try staged?.commit()
        let code = verdict.verdict.exitCode(inconclusiveFails: onInconclusive == .fail)
        if let json { try Output.write(verdict.json(exitCode: code), to: json) }
        print("canary \(config.model): \(verdict.verdict.rawValue) after look \(verdict.looks) (\(newEvents.total) new events)")
        for check in verdict.checks {
            let look = check.look
            let interval =
                look.lower.flatMap { lower in look.upper.map { "[\(Formatting.significant(lower, digits: 6)), \(Formatting.significant($0, digits: 6))]" } }
                ?? "-"
            print(
                "  \(look.outcome.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(check.expression)  n=\(look.baselineCount)/\(look.canaryCount)  CS \(interval)"
            )
            print("               \(look.reason)")
        }
        if let unpaired = verdict.unpaired {
            print("  unpaired requests (waiting for the other arm): baseline \(unpaired[.baseline] ?? 0), canary \(unpaired[.canary] ?? 0)")
        }
        if let history, let site, let templates {
            let result = try SiteEnvironment.builder(history: history, templates: templates, registry: nil, output: site).build()
            Console.note("site: \(result.written) files written in \(site)")
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// `--mode`, checked as the config's own `mode:` is: a paired check needs shadow mode.
    private func overrideMode(_ config: inout CanaryConfig) throws(TollgateError) {
        guard let mode, mode != config.mode else { return }
        if state != nil {
            throw TollgateError(
                .config, at: SourceLocation(file: "--mode"),
                "--mode \(mode.rawValue) differs from the config's mode, which the --state file continues; edit the config instead")
        }
        if mode == .canary, config.checks.contains(where: { $0.metric == .disagreementRate }) {
            throw TollgateError(.config, at: SourceLocation(file: "--mode"), "--mode canary: disagreement_rate needs paired requests (shadow mode)")
        }
        config.mode = mode
    }

    /// The events of a replay of `gate`'s dataset through the two versions' served models.
    static func replay(gate path: String, config: CanaryConfig, configPath: String, rows: Int?) throws(TollgateError) -> Data {
        let here = SourceLocation(file: configPath)
        guard config.mode == .shadow else {
            throw TollgateError(.config, at: here, "--replay sends every row to both versions, a shadow run: set 'mode: shadow' or pass --mode shadow")
        }
        if let rows, rows < 1 { throw TollgateError(.config, at: SourceLocation(file: "--replay-rows"), "expected a positive number of rows, found \(rows)") }
        let gate = try GateConfig.load(path: path)
        guard gate.model == config.model else {
            throw TollgateError(.config, at: here, "the canary config judges '\(config.model)' but the gate config \(path) names '\(gate.model)'")
        }
        let registry = gate.registry()
        let model = try registry.model(gate.model)
        let baseline = try config.baseline.map { text throws(TollgateError) in try VersionReference(parsing: text, location: here) } ?? gate.champion
        guard let canary = try config.canary.map({ text throws(TollgateError) in try VersionReference(parsing: text, location: here) }) ?? gate.candidates.first
        else {
            throw TollgateError(.config, at: here, "--replay needs a canary version: 'canary:' in the canary config or a candidate in \(path)")
        }
        let replay = ShadowReplay(
            baseline: try ShadowReplay.Arm(try registry.resolve(baseline, of: model), role: "baseline", at: here),
            canary: try ShadowReplay.Arm(try registry.resolve(canary, of: model), role: "canary", at: here), dataset: gate.dataset, limit: rows,
            environment: ProcessEnvironment.variables)
        return try replay.run()
    }
}
