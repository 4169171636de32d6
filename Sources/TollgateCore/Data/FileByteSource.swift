import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file with plain `read(2)` in the caller's buffer: no copies, no Foundation buffering.
final class FileByteSource: ByteSource {
    let path: String
    private let fd: Int32
    private var hasher: SHA256?
    /// Bytes read ahead to sniff the format, handed out before the rest of the file.
    private var prefix: [UInt8] = []

    init(path: String, hashing: Bool) throws(TollgateError) {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TollgateError(.io, at: SourceLocation(file: path), "expected a file, found a directory")
        }
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot open: \(String(cString: strerror(errno)))")
        }
        hasher = hashing ? SHA256() : nil
    }

    deinit { Glibc.close(fd) }

    func startsWithGzipMagic() throws(TollgateError) -> Bool {
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { head.deallocate() }
        var n = 0
        while n < 2 {
            let got = try rawRead(UnsafeMutableRawBufferPointer(rebasing: head[n...]))
            if got == 0 { break }
            n += got
        }
        prefix = Array(head[0..<n])
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TollgateError) -> Int {
        if !prefix.isEmpty {
            let n = min(prefix.count, buffer.count)
            buffer.copyBytes(from: prefix[0..<n])
            prefix.removeFirst(n)
            guard n < buffer.count else { return n }
            return n + (try rawRead(UnsafeMutableRawBufferPointer(rebasing: buffer[n...])))
        }
        return try rawRead(buffer)
    }

    private func rawRead(_ buffer: UnsafeMutableRawBufferPointer) throws(TollgateError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw TollgateError(.io, at: SourceLocation(file: path), "read failed: \(String(cString: strerror(errno)))")
            }
            if n > 0 { hasher?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            return n
        }
    }

    func finalizeDigest() -> String? {
        guard let hasher else { return nil }
        self.hasher = nil
        return SHA256Digest.hex(hasher.finalize())
    }
}
