import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `mlflow models serve` of one registry version, started by the HTTP scorer on a cache miss
/// and stopped as soon as the version is scored, whether scoring worked or not.
///
/// The server runs in a process group of its own (`ChildProcess`) on a free loopback port;
/// it is ready when `GET /ping` answers 200. It learns where the registry is from
/// `MLFLOW_TRACKING_URI`, and any credentials from the `MLFLOW_TRACKING_*` variables it
/// inherits; a command given as a path has its folder put first on PATH (a venv's `mlflow`
/// starts the venv's `uvicorn`): nothing secret is on its command line or in a message. Stopping sends SIGTERM to
/// the group (the server reaps its workers), then SIGKILL to whatever is left, and reaps the child.
final class MLflowModelServer {
    /// `http://127.0.0.1:PORT`.
    let url: String
    private let child: ChildProcess
    private let stderrTail = StderrTail()
    private let stdoutTail = StderrTail()
    private var drains: [PipeDrain] = []
    private var stopped = false

    /// Starts the server and waits until it is ready; stops it again before throwing.
    /// - Parameters:
    ///   - environment: the run's environment, which the child inherits with `MLFLOW_TRACKING_URI` set.
    ///   - workingDirectory: where the child runs (the score cache's folder).
    init(_ spec: MLflowServeSpec, environment: [String: String], workingDirectory: String) throws(TollgateError) {
        let options = spec.options
        let port = try LoopbackPort.free(at: options.location)
        var childEnvironment = environment
        childEnvironment["MLFLOW_TRACKING_URI"] = spec.trackingURI
        // `mlflow models serve` starts `uvicorn` by name: a venv's mlflow needs its venv's first on PATH.
        if let program = options.command.first, program.contains("/") {
            let folder = (program as NSString).deletingLastPathComponent
            childEnvironment["PATH"] = [folder, environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"].joined(separator: ":")
        }
        url = "http://127.0.0.1:\(port)"
        // Before the spawn: the server inherits this thread's signal mask, and one that blocks
        // SIGTERM (a parent's, passed down) would make it deaf to being stopped.
        Self.unblockInterrupts()
        child = try ChildProcess(
            arguments: spec.arguments(port: port), workingDirectory: workingDirectory, environment: childEnvironment,
            at: options.commandLocation ?? options.location)
        child.closeInput()
        Self.guardInterrupts(group: child.pid)
        drains = [
            PipeDrain(child.stderr) { [stderrTail] in stderrTail.append($0) },
            PipeDrain(child.stdout) { [stdoutTail] in stdoutTail.append($0) }
        ]
        do {
            try waitUntilReady(spec, environment: environment)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// SIGTERM to the group, up to 10 s for all of it to end, then SIGKILL to what is left; the
    /// child reaped, and its group gone (an orphaned worker reaped by init) or 2 s waited for it.
    func stop() {
        guard !stopped else { return }
        stopped = true
        child.signalGroup(SIGTERM)
        waitForGroup(seconds: 10)
        child.killGroup()
        _ = child.wait()
        waitForGroup(seconds: 2)
        Self.releaseInterrupts()
        // The pipes end when the last process holding them does; a grandchild that left the
        // group could hold them open, so the drains are not waited for forever.
        for drain in drains { drain.wait(seconds: 5) }
    }

    // MARK: interrupts

    /// The process group of the server running now (one at a time: versions are scored in
    /// turn), for the signal handler; 0 when none runs.
    nonisolated(unsafe) private static var runningGroup: pid_t = 0
    nonisolated(unsafe) private static var previousHandlers: [Int32: (@convention(c) (Int32) -> Void)?] = [:]
    private static let interrupts: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// While a server runs, Ctrl-C (or a SIGTERM/SIGHUP to tollgate) first stops the server's
    /// group, which is not tollgate's and so would not hear the terminal's signal, then ends
    /// tollgate by the same signal.
    private static func guardInterrupts(group: pid_t) {
        runningGroup = group
        for number in interrupts {
            previousHandlers[number] = signal(number) { received in
                if MLflowModelServer.runningGroup > 0 { kill(-MLflowModelServer.runningGroup, SIGTERM) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Unblocks SIGINT, SIGTERM and SIGHUP on this thread (which the server inherits), in
    /// case whoever started tollgate blocked them: otherwise neither tollgate nor the server
    /// would hear them.
    private static func unblockInterrupts() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in interrupts { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static func releaseInterrupts() {
        for number in interrupts {
            if let previous = previousHandlers[number] { signal(number, previous) }
        }
        previousHandlers = [:]
        runningGroup = 0
    }

    /// Polls until no process is left in the child's group (the child itself counts until reaped).
    private func waitForGroup(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(-child.pid, 0) != 0, errno == ESRCH { return }
            usleep(50_000)
        }
    }

    private func waitUntilReady(_ spec: MLflowServeSpec, environment: [String: String]) throws(TollgateError) {
        let options = spec.options
        let ping = URL(string: "\(url)/ping")!
        let client = HTTPClient(maxConnections: 1)
        let deadline = Date().addingTimeInterval(options.readyTimeout)
        let started = spec.arguments(port: 0).prefix(options.command.count + 2).joined(separator: " ")
        while true {
            if !child.isRunning {
                let (status, signalled) = child.wait()
                for drain in drains { drain.wait(seconds: 2) }
                throw TollgateError(
                    .scoring, at: options.commandLocation ?? options.location,
                    redact(
                        "\(started) of \(spec.label) (\(spec.modelURI)) \(signalled ? "was killed by signal \(status)" : "exited with status \(status)") "
                            + "before it answered GET /ping; \(lastWords())", environment))
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                throw TollgateError(
                    .scoring, at: options.readyTimeoutLocation ?? options.location,
                    redact(
                        "\(started) of \(spec.label) (\(spec.modelURI)) did not answer GET \(ping.absoluteString) with 200 within "
                            + "\(Formatting.decimal(options.readyTimeout)) s (mlflow.ready_timeout); \(lastWords())", environment))
            }
            if case .success(let response) = client.send(HTTPRequest(method: "GET", url: ping, headers: [], timeout: max(0.5, min(left, 5)))),
                response.status == 200
            {
                return
            }
            Thread.sleep(forTimeInterval: min(0.25, max(0, deadline.timeIntervalSinceNow)))
        }
    }

    /// The last lines the server wrote to stderr (else stdout), for a message.
    private func lastWords() -> String {
        let errors = stderrTail.lastLines(8)
        if !errors.isEmpty { return "last lines of its stderr: \(errors)" }
        let output = stdoutTail.lastLines(8)
        return output.isEmpty ? "it wrote nothing to stderr" : "it wrote nothing to stderr; last lines of its stdout: \(output)"
    }

    /// Takes out the values of MLflow's credential variables, should the server echo one.
    private func redact(_ message: String, _ environment: [String: String]) -> String {
        let secrets = ["MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_PASSWORD"].compactMap { environment[$0] }.filter { $0.count >= 3 }
        return secrets.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
