import Foundation
import TollgateCore

/// Paths into the repository's `fixtures/`, found from this file so tests run from any folder.
public enum Fixtures {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent("fixtures").appendingPathComponent(relative).path }

    public static func json(_ relative: String) throws -> Any {
        try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }
}

/// Agreement with the reference libraries: 1e-9, relative for values above one; NaN matches NaN.
public func agrees(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-9) -> Bool {
    guard let actual else { return false }
    if expected.isNaN { return actual.isNaN }
    if expected.isInfinite { return actual == expected }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Reads JSON numbers, with NaN and infinities encoded as strings as the vectors do.
public func number(_ any: Any?) -> Double? {
    switch any {
    case let d as Double: return d
    case let i as Int: return Double(i)
    case let s as String:
        switch s {
        case "NaN": return .nan
        case "Infinity", "inf": return .infinity
        case "-Infinity", "-inf": return -.infinity
        default: return Double(s)
        }
    default: return nil
    }
}

/// A scratch folder for one test, removed when the test's scope ends.
public final class ScratchDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tollgate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    @discardableResult
    public func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    /// Compresses a file with the system's gzip (a real, independent encoder), returning the new path.
    @discardableResult
    public func gzip(_ relative: String, keep: Bool = false) throws -> String {
        let result = try Subprocess.run("/bin/gzip", (keep ? ["-k"] : []) + ["-f", path(relative)])
        guard result.status == 0 else { throw SupportError(message: "gzip exited \(result.status): \(result.stderr)") }
        return path(relative) + ".gz"
    }

    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}

/// Feeds labels and predictions to an accumulator the way the evaluation pass does.
extension MetricAccumulator {
    public mutating func add(label: Double, values: [Double]) {
        values.withUnsafeBufferPointer { add(label: label, prediction: $0) }
    }
}
