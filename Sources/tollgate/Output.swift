import Foundation
import TollgateCore

/// Files a command writes: replaced whole (write beside, rename), or appended to.
enum Output {
    static func write(_ bytes: [UInt8], to path: String) throws(TollgateError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot write: \(error.localizedDescription)")
        }
    }

    static func append(_ bytes: [UInt8], to path: String) throws(TollgateError) {
        guard
            let handle = FileHandle(forWritingAtPath: path)
                ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil)
        else {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot open for appending")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes) + Data("\n".utf8))
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot append: \(error.localizedDescription)")
        }
    }
}
