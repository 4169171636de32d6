import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The file a child's stdout is copied into as it arrives; the first write error is kept.
final class OutputSink: @unchecked Sendable {
    private let fd: Int32
    private let path: String
    private var failure: TollgateError?

    init(path: String, at location: SourceLocation) throws(TollgateError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TollgateError(.io, at: location, "cannot write the scorer's output to \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
    }

    /// Non-blank lines written so far (the last one counted even without its newline); read
    /// once the draining thread is done.
    var lines: Int { completeLines + (lineHasText ? 1 : 0) }
    private var completeLines = 0
    private var lineHasText = false

    /// Called on the draining thread only.
    func write(_ chunk: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        for byte in chunk {
            if byte == 10 {
                if lineHasText { completeLines += 1 }
                lineHasText = false
            } else if byte != 13 && byte != 32 {
                lineHasText = true
            }
        }
        var offset = 0
        while offset < chunk.count {
            let n = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
            if n < 0, errno == EINTR { continue }
            if n < 0 {
                failure = TollgateError(.io, at: SourceLocation(file: path), "cannot write the scorer's output: \(String(cString: strerror(errno)))")
                return
            }
            offset += n
        }
    }

    /// Closes the file once the draining thread is done; the first write error, if any.
    func close() -> TollgateError? {
        Glibc.close(fd)
        return failure
    }
}
