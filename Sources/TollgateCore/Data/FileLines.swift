import Foundation

/// The lines of a JSON Lines file, read a chunk at a time into one buffer and found with memchr.
///
/// Why one place: canary looks over ten million events and history imports of a million both
/// spent a large share of their time slicing bytes line by line. Lines are handed out without
/// their LF or CR-LF and numbered from the caller's count; blank lines (spaces, tabs) are
/// counted and skipped. (`LineSplitter` does the same for datasets read through a `ByteSource`,
/// which may be gzip.)
public enum FileLines {
    /// Reads `descriptor` from where it stands (byte `position.byte` of the file, after line
    /// `position.line`) to its end, handing each line to `body`; returns the byte after the last
    /// line handed out and that line's number.
    ///
    /// - Parameters:
    ///   - lastLineComplete: a last line without a newline is read; otherwise it waits (it may
    ///     still be being written) and the returned position stops before it.
    ///   - maximumLineBytes: a longer line is an error at its line; nil lets the buffer grow.
    public static func forEach(
        in descriptor: Int32, file: String, from position: (byte: Int, line: Int) = (0, 0), lastLineComplete: Bool,
        maximumLineBytes: Int?, _ body: (UnsafeRawBufferPointer, SourceLocation) throws(TollgateError) -> Void
    ) throws(TollgateError) -> (byte: Int, line: Int) {
        var buffer = [UInt8](repeating: 0, count: max(1 << 20, 4 * (maximumLineBytes ?? 0)))
        var filled = 0
        var consumed = position.byte
        var line = position.line
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TollgateError(.io, at: SourceLocation(file: file), "cannot read: \(String(cString: strerror(errno)))")
            }
            let atEnd = count == 0
            filled += count
            let used = try buffer.withUnsafeBytes { bytes in
                Result { () throws(TollgateError) -> Int in
                    try forEach(
                        in: UnsafeRawBufferPointer(rebasing: bytes[0..<filled]), file: file, line: &line, lastLineComplete: atEnd && lastLineComplete,
                        maximumLineBytes: maximumLineBytes, body)
                }
            }.get()
            consumed += used
            if atEnd { break }
            filled -= used
            if let maximumLineBytes, filled > maximumLineBytes { throw tooLong(maximumLineBytes, file: file, line: line + 1) }
            if used > 0 { buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + used, filled) } }
        }
        return (consumed, line)
    }

    /// The same over bytes in memory; returns how many were used.
    public static func forEach(
        in bytes: UnsafeRawBufferPointer, file: String, line: inout Int, lastLineComplete: Bool, maximumLineBytes: Int?,
        _ body: (UnsafeRawBufferPointer, SourceLocation) throws(TollgateError) -> Void
    ) throws(TollgateError) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count {
            let found = memchr(base + start, 0x0A, bytes.count - start)
            guard found != nil || lastLineComplete else { break }
            let end = found.map { UnsafeRawPointer($0) - base } ?? bytes.count
            line += 1
            if let maximumLineBytes, end - start > maximumLineBytes { throw tooLong(maximumLineBytes, file: file, line: line) }
            var last = end
            if last > start, bytes[last - 1] == 0x0D { last -= 1 }
            let content = UnsafeRawBufferPointer(rebasing: bytes[start..<last])
            start = end + 1
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            try body(content, SourceLocation(file: file, line: line))
        }
        return min(start, bytes.count)
    }

    private static func tooLong(_ limit: Int, file: String, line: Int) -> TollgateError {
        TollgateError(.dataset, at: SourceLocation(file: file, line: line), "the line is longer than \(limit) bytes; is this JSON Lines?")
    }
}
