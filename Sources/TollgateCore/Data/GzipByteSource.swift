import CZlib

/// Inflates a gzip file on the fly, including files made of several gzip members (`cat a.gz b.gz`).
final class GzipByteSource: ByteSource {
    private let file: any ByteSource
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var finished = false
    /// True from a member's first byte until its end marker: EOF in between means truncation.
    private var insideMember = true
    /// Compressed bytes handed to zlib so far, for the offset in a corruption message.
    private var compressedRead = 0

    var path: String { file.path }

    init(wrapping file: any ByteSource) throws(TollgateError) {
        self.file = file
        input = .allocate(byteCount: 1 << 18, alignment: 8)
        // 15 window bits + 32: let zlib detect the gzip header itself.
        guard tollgate_inflate_init2(&stream, 15 + 32) == Z_OK else {
            input.deallocate()
            throw TollgateError(.io, at: SourceLocation(file: file.path), "cannot initialise gzip decompression")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TollgateError) -> Int {
        guard !finished else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let n = try file.read(into: input)
                if n == 0 {
                    finished = true
                    if insideMember {
                        throw TollgateError(
                            .io, at: SourceLocation(file: path),
                            "truncated gzip data: the file ends inside a compressed stream after \(compressedRead) compressed bytes")
                    }
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
                compressedRead += n
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                // Another member may follow; anything else after the end is an error below.
                guard inflateReset(&stream) == Z_OK else { break }
                insideMember = false
                continue
            }
            if status == Z_OK { insideMember = true }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                throw TollgateError(
                    .io, at: SourceLocation(file: path), "corrupt gzip data at compressed byte \(compressedRead - Int(stream.avail_in)): \(reason)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }

    func finalizeDigest() -> String? { file.finalizeDigest() }
}
