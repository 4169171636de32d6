import ArgumentParser
import Foundation
import NIOPosix
import TollgateCore
import TollgateStore

/// `tollgate serve`: the canary verdict over HTTP for rollout controllers — Argo Rollouts' web
/// metric provider (`GET /v1/analyses/{name}`) and Flagger's webhooks (`POST /flagger/{hook}`).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the canary verdict to Argo Rollouts (web metric provider) and Flagger (webhooks).",
        discussion: """
            Every GET /v1/analyses/{name} and every Flagger hook that judges is one look: it \
            reads the events appended since the last look and advances the same anytime-valid \
            test as `tollgate canary --state`. {name} is the config's model.

            ROUTES
              GET  /v1/analyses/{name}  200 with the verdict JSON ({"verdict": "pass|fail|continue|inconclusive", ...});
                                        500 with {"error"} when the look cannot be computed
              POST /flagger/{hook}      200 or 500 by Flagger's rules: rollout and pre-rollout 500 only on fail;
                                        confirm-promotion 200 only on pass; rollback 200 only on fail (Flagger
                                        then rolls back); confirm-rollout and confirm-traffic-increase 500 only
                                        on fail; post-rollout and event 200 without a look
              GET  /healthz             200 once listening

            With --history, every look is recorded as `tollgate canary --history` records it \
            (one analysis, continued across restarts with --state); a look that cannot be \
            recorded answers 500 and leaves the state where it was.

            Listens on 127.0.0.1 unless --host says otherwise; prints "listening on http://HOST:PORT" \
            when ready (--port 0 picks a free port).
            """)

    @Option(name: [.short, .long], help: "The canary config (YAML).")
    var config: String = "canary.yml"

    @Option(help: ArgumentHelp("Events: a JSON Lines file or a folder of .jsonl files (default: source.events).", valueName: "file|dir"))
    var events: String?

    @Option(help: ArgumentHelp("Sequential state, saved after every look and continued on restart.", valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Record every look in this history (sqlite:PATH or postgres://…), as `tollgate canary --history` does.", valueName: "url"))
    var history: String?

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: a free one).")
    var port: Int

    func run() throws {
        guard (0...65535).contains(port) else {
            throw TollgateError(.config, at: SourceLocation(file: "--port"), "expected a port in 0...65535, found \(port)")
        }
        let config = try CanaryConfig.load(path: config)
        let source = events ?? config.events
        guard source != nil || config.prometheus != nil else {
            throw TollgateError(
                .config, at: SourceLocation(file: self.config), "no events: give --events FILE|DIR, or source.events or source.prometheus in the config")
        }
        // The history is opened once here, so a bad URL or an unreachable server stops the
        // start, and then once per look: a look is a short transaction, and no connection is
        // held across a controller's minutes of silence.
        let location = try history.map { url throws(TollgateError) in try HistoryLocation(url) }
        if let location { try SQLHistory.open(location, credentials: ProcessEnvironment.postgresCredentials).close() }
        let recorder = location.map { CanaryLookRecorder(location: $0, config: config) }
        let monitor = try CanaryMonitor(config: config, source: source, statePath: state, recorder: recorder)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let channel = try VerdictServer(monitor: monitor).bind(host: host, port: port, group: group)
        let bound = channel.localAddress?.port ?? port
        let shown = host.contains(":") ? "[\(host)]" : host
        // Written straight to the descriptor: a controller's wrapper (or a test) waits for this line.
        FileHandle.standardOutput.write(Data("listening on http://\(shown):\(bound) (analysis '\(config.model)')\n".utf8))
        try channel.closeFuture.wait()
    }
}
