import Foundation
import TollgateCore

/// Buffered output to a file (written beside and renamed) or to standard output.
final class LineSink {
    let path: String?
    let temporary: String?
    let handle: FileHandle
    var buffer = Data()

    init(path: String?) throws(TollgateError) {
        self.path = path
        if let path {
            let temporary = path + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let h = FileHandle(forWritingAtPath: temporary) else {
                throw TollgateError(.io, at: SourceLocation(file: path), "cannot create the file")
            }
            self.temporary = temporary
            handle = h
        } else {
            temporary = nil
            handle = .standardOutput
        }
    }

    func write(_ line: Data) throws(TollgateError) {
        buffer.append(line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws(TollgateError) {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path ?? "<stdout>"), "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws(TollgateError) {
        try flush()
        guard let path, let temporary else { return }
        try? handle.close()
        guard rename(temporary, path) == 0 else {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot replace the file: \(String(cString: strerror(errno)))")
        }
    }
}
