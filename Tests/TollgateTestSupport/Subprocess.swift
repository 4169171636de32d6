import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished program printed and how it ended.
public struct SubprocessResult: Sendable {
    /// The exit code, or 128 + the signal that killed it.
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to completion with posix_spawn, reads both pipes together with poll(2) and
/// reaps it with waitpid(2) on the calling thread.
///
/// Foundation's `Process` learns of a child's exit through a dispatch source; on a two-core
/// machine, with every test thread blocked in `waitUntilExit`, a run of the suite once sat
/// forever beside a reaped-never zombie. Nothing here depends on another thread.
public enum Subprocess {
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil
    ) throws -> SubprocessResult {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw SupportError(message: "pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in out + err { posix_spawn_file_actions_addclose(&actions, fd) }
        // Glibc's addchdir_np is not in Swift's Glibc module: coreutils' `env -C` changes folder.
        let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + env { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, env)
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0])
            close(err[0])
            throw SupportError(message: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }

        var collected: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: out[0], events: Int16(POLLIN), revents: 0), pollfd(fd: err[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open > 0 {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    collected[i].append(contentsOf: buffer[0..<n])
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return SubprocessResult(
            status: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            stdout: String(decoding: collected[0], as: UTF8.self), stderr: String(decoding: collected[1], as: UTF8.self))
    }

    /// A repository script's last line of output (the scripts print what they made last).
    public static func script(_ name: String, _ arguments: [String] = []) throws -> String {
        let result = try run("/bin/bash", [Fixtures.root.appendingPathComponent("scripts/\(name)").path] + arguments)
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard result.status == 0, !last.isEmpty else {
            throw SupportError(message: "scripts/\(name) exited \(result.status): \(result.stderr.suffix(500))")
        }
        return last
    }
}
