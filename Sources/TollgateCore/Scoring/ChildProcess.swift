import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program run without a shell, with its stdin, stdout and stderr on pipes, in a process
/// group of its own so that a timeout kills it and everything it started.
///
/// Foundation's `Process` spawns the child with `POSIX_SPAWN_SETPGROUP` (its group id is its
/// pid) and reaps it, so a killed child leaves no zombie. The pipes are read and written with
/// plain `read`/`write` on their descriptors from threads the caller owns: one thread per
/// direction is what keeps a child that writes while it reads from deadlocking against us.
final class ChildProcess: @unchecked Sendable {
    let arguments: [String]
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()

    var stdin: Int32 { input.fileHandleForWriting.fileDescriptor }
    var stdout: Int32 { output.fileHandleForReading.fileDescriptor }
    var stderr: Int32 { errors.fileHandleForReading.fileDescriptor }
    var pid: Int32 { process.processIdentifier }

    /// - Parameter location: where the command is declared, for a program that cannot be started.
    /// - Parameter environment: the child's whole environment; nil inherits tollgate's.
    init(arguments: [String], workingDirectory: String, environment: [String: String]? = nil, at location: SourceLocation) throws(TollgateError) {
        guard let program = arguments.first, !program.isEmpty else {
            throw TollgateError(.registry, at: location, "expected a command to run, e.g. command: [python3, score.py]")
        }
        guard let executable = Self.resolve(program, in: workingDirectory) else {
            throw TollgateError(.registry, at: location, "command '\(program)' is not an executable file in \(workingDirectory) or on PATH")
        }
        self.arguments = arguments
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        if let environment { process.environment = environment }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        // A child that stops reading makes our next write fail with EPIPE; without this the
        // signal would end tollgate instead.
        signal(SIGPIPE, SIG_IGN)
        do {
            try process.run()
        } catch {
            throw TollgateError(.registry, at: location, "cannot start '\(arguments.joined(separator: " "))': \(error.localizedDescription)")
        }
    }

    /// Writes all of `bytes`; false when the child no longer reads its stdin.
    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(stdin, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// Closes the child's stdin: the end of the rows.
    func closeInput() { try? input.fileHandleForWriting.close() }

    /// SIGKILL to the child's whole process group.
    func killGroup() { kill(-pid, SIGKILL) }

    /// `signal` to the child's whole process group.
    func signalGroup(_ signal: Int32) { kill(-pid, signal) }

    /// Whether the child has not ended yet.
    var isRunning: Bool { process.isRunning }

    /// Waits for the child to end: its exit status, or the signal that ended it.
    func wait() -> (status: Int32, signalled: Bool) {
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// The program's path: as given when it names a path (relative to the working directory),
    /// else the first executable of that name on PATH.
    private static func resolve(_ program: String, in directory: String) -> String? {
        let manager = FileManager.default
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : URL(fileURLWithPath: directory).appendingPathComponent(program).path
            return manager.isExecutableFile(atPath: path) ? path : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(program)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Reads a descriptor to its end on a thread of its own.
final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    /// - Parameter chunk: called on the draining thread with each block read.
    init(_ fd: Int32, chunk: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        let thread = Thread { [done] in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
            defer {
                buffer.deallocate()
                done.signal()
            }
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }
                chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
        }
        thread.start()
    }

    /// Returns once the descriptor has reached its end.
    func wait() { done.wait() }

    /// Returns once the descriptor has reached its end, or after `seconds`; whether it did.
    @discardableResult
    func wait(seconds: Double) -> Bool { done.wait(timeout: .now() + seconds) == .success }
}

/// The last lines a child wrote to stderr, for the message when it fails.
final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let limit = 8192

    func append(_ chunk: UnsafeRawBufferPointer) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(contentsOf: chunk)
        if bytes.count > 2 * limit { bytes.removeFirst(bytes.count - limit) }
    }

    /// Up to `count` last non-empty lines, joined by " | " so the message stays one line.
    func lastLines(_ count: Int) -> String {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: bytes.suffix(limit), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.suffix(count).joined(separator: " | ")
    }
}
