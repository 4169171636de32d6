import Foundation
import TollgateCore

/// The lines of a JSON Lines file (or standard input), each with its file and line number.
public struct LineSource: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Whether the lines come from a regular file, which never makes its reader wait.
    public var isRegularFile: Bool {
        var info = stat()
        return path != "-" && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Lines as `FileLines` reads them (one buffer, memchr), of any length: a run's report can
    /// be megabytes.
    public func forEachLine(_ body: (Data, SourceLocation) throws(TollgateError) -> Void) throws(TollgateError) {
        let name = path == "-" ? "<stdin>" : path
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TollgateError(.io, at: SourceLocation(file: path), "cannot open the history export") }
        defer { if path != "-" { close(descriptor) } }
        _ = try FileLines.forEach(in: descriptor, file: name, lastLineComplete: true, maximumLineBytes: nil) {
            (line, location) throws(TollgateError) in try body(Data(line), location)
        }
    }
}
