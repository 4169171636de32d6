import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `tollgate` running in the background (a server), its stdout and stderr in one log file.
/// Started with posix_spawn and reaped with waitpid on the calling thread, like `Subprocess`;
/// `stop()` sends SIGTERM and waits, so no test leaves it running (call it in a `defer`).
public final class BackgroundTool {
    public let pid: pid_t
    public let logPath: String
    private var reaped = false

    private init(pid: pid_t, logPath: String) {
        self.pid = pid
        self.logPath = logPath
    }

    /// Starts `tollgate arguments…` (or another `executable`), writing everything it prints to `logPath`.
    public static func start(_ arguments: [String], logPath: String, executable: String = Tool.executable) throws -> BackgroundTool {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + env { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard spawned == 0 else { throw SupportError(message: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        return BackgroundTool(pid: pid, logPath: logPath)
    }

    /// Everything printed so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The exit status if the process has ended (then reaped), nil while it runs.
    public func exited() -> Int32? {
        guard !reaped else { return -1 }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        reaped = true
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits until a printed line matches, the process ends, or `timeout` seconds pass.
    public func waitForLine(containing text: String, timeout: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if let status = exited() { throw SupportError(message: "the process exited with \(status) before printing '\(text)'; its log:\n\(log)") }
            usleep(50_000)
        }
        throw SupportError(message: "the process did not print '\(text)' within \(Int(timeout)) s; its log:\n\(log)")
    }

    /// SIGTERM, then waits for the process (SIGKILL after 10 s).
    public func stop() {
        guard exited() == nil else { return }
        kill(pid, SIGTERM)
        for _ in 0..<200 {
            if exited() != nil { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
    }
}
