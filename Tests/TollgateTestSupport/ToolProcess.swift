import Foundation

/// Runs the built `tollgate` binary, as CI would, and captures what it printed.
public struct ToolResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public enum Tool {
    /// The binary beside the test bundle (`swift build` puts both in the same folder).
    public static var executable: String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleDirectory.appendingPathComponent("tollgate").path]
        var directory = bundleDirectory
        for _ in 0..<4 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("tollgate").path)
        }
        candidates.append(Fixtures.root.appendingPathComponent(".build/debug/tollgate").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> ToolResult {
        var env = ProcessInfo.processInfo.environment
        for key in ["GITHUB_STEP_SUMMARY", "GITHUB_SHA", "CI_COMMIT_SHA", "TOLLGATE_COMMIT"] { env[key] = nil }
        env.merge(environment) { $1 }
        let result = try Subprocess.run(executable, arguments, in: directory, environment: env)
        return ToolResult(exitCode: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
