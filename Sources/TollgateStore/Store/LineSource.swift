import Foundation
import TollgateCore

/// The lines of a JSON Lines file (or standard input), each with its file and line number.
public struct LineSource: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func forEachLine(_ body: (Data, SourceLocation) throws(TollgateError) -> Void) throws(TollgateError) {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw TollgateError(.io, at: SourceLocation(file: path), "cannot open the history export")
            }
            handle = h
        }
        defer { if path != "-" { try? handle.close() } }
        var pending = Data()
        var line = 0
        let name = path == "-" ? "<stdin>" : path
        func emit(_ bytes: Data) throws(TollgateError) {
            line += 1
            var slice = bytes
            if slice.last == 0x0D { slice.removeLast() }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            try body(slice, SourceLocation(file: name, line: line))
        }
        while true {
            let chunk: Data
            do {
                guard let c = try handle.read(upToCount: 1 << 20), !c.isEmpty else { break }
                chunk = c
            } catch {
                throw TollgateError(.io, at: SourceLocation(file: name), "cannot read: \(error.localizedDescription)")
            }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(pending.startIndex..<start)
        }
        if !pending.isEmpty { try emit(pending) }
    }
}
