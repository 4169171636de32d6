/// Bytes already in memory, read as if from a file: how the fuzz entry points and their
/// replay tests feed the same readers the gate uses without touching the disk.
final class MemoryByteSource: ByteSource {
    let path: String
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var startsWithGzipMagic: Bool { bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TollgateError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        buffer.copyBytes(from: bytes[offset..<offset + n])
        offset += n
        return n
    }

    func finalizeDigest() -> String? { nil }
}
