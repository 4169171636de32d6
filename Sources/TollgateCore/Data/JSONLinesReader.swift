/// Reads JSON Lines: one flat object per line, each value a string, number, boolean or null.
///
/// The first object's keys name the columns; later lines must carry every one of them (extra
/// keys are ignored). Values are handed out as text, strings unescaped, so the rest of the
/// pipeline reads JSON Lines and CSV alike.
final class JSONLinesReader: TabularReader {
    private(set) var columns: [String] = []
    private let source: any ByteSource
    private let kind: TollgateError.Kind
    private let lines: LineSplitter

    private var current: [String: (text: [UInt8], column: Int)] = [:]
    /// The current record's values, back to back, owned here so views into it stay valid.
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    private var ranges: [Range<Int>] = []
    private var valueColumns: [Int] = []
    private var pendingFirst = false
    private(set) var line = 0

    var file: String { source.path }

    init(source: any ByteSource, kind: TollgateError.Kind) throws(TollgateError) {
        self.source = source
        self.kind = kind
        lines = LineSplitter(source: source)
        guard try readObject() else {
            throw TollgateError(kind, at: SourceLocation(file: source.path, line: 1, column: 1), "the file is empty; expected one JSON object per line")
        }
        columns = orderedKeys
        pendingFirst = true
        try project()
    }

    deinit { storage.deallocate() }

    func field(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[ranges[index]])
    }

    func location(ofField index: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: index < valueColumns.count ? valueColumns[index] : nil)
    }

    func finalizeDigest() -> String? { source.finalizeDigest() }

    func next() throws(TollgateError) -> Bool {
        if pendingFirst {
            pendingFirst = false
            return true
        }
        guard try readObject() else { return false }
        try project()
        return true
    }

    private var orderedKeys: [String] = []

    private func project() throws(TollgateError) {
        ranges.removeAll(keepingCapacity: true)
        valueColumns.removeAll(keepingCapacity: true)
        var size = 0
        for name in columns {
            guard let value = current[name] else {
                throw TollgateError(kind, at: SourceLocation(file: file, line: line, column: 1), "missing key '\(name)' (the first line has it)")
            }
            size += value.text.count
        }
        if size > storage.count {
            storage.deallocate()
            storage = .allocate(byteCount: size * 2, alignment: 8)
        }
        var offset = 0
        for name in columns {
            let value = current[name]!
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + value.text.count]).copyBytes(from: value.text)
            ranges.append(offset..<offset + value.text.count)
            valueColumns.append(value.column)
            offset += value.text.count
        }
    }

    /// Parses the next non-blank line into `current`.
    private func readObject() throws(TollgateError) -> Bool {
        while let (bytes, number) = try lines.next() {
            line = number
            var parser = FlatJSONObjectParser(bytes: bytes, file: file, line: number, kind: kind)
            guard let object = try parser.parse() else { continue } // blank line
            current = [:]
            orderedKeys = []
            for (key, value, column) in object {
                if current[key] == nil { orderedKeys.append(key) }
                current[key] = (value, column)
            }
            return true
        }
        return false
    }
}

/// Splits a byte stream into lines (LF or CRLF), numbering them from 1.
///
/// A line longer than `maxLineBytes` is refused rather than buffered: one runaway line (a
/// file without newlines, a corrupt stream) must not take the machine's memory, and each
/// refill scans only the bytes it added so a long line costs linear time.
final class LineSplitter {
    /// Far above any flat JSON object a dataset row or history event needs.
    static let maxLineBytes = 64 << 20
    private let source: any ByteSource
    private var pending: [UInt8] = []
    private var offset = 0
    /// Where the search for the next newline resumes: bytes before it hold none.
    private var scanned = 0
    private var number = 0
    private var exhausted = false
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)

    init(source: any ByteSource) { self.source = source }

    deinit { chunk.deallocate() }

    /// Line number of the line being assembled (the next one handed out).
    var nextLineNumber: Int { number + 1 }

    func next() throws(TollgateError) -> ([UInt8], Int)? {
        while true {
            if let newline = pending[max(offset, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[offset..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                offset = newline + 1
                scanned = offset
                number += 1
                return (line, number)
            }
            scanned = pending.count
            if exhausted {
                guard offset < pending.count else { return nil }
                var line = Array(pending[offset...])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                offset = pending.count
                number += 1
                return (line, number)
            }
            guard pending.count - offset <= Self.maxLineBytes else {
                throw TollgateError(
                    .io, at: SourceLocation(file: source.path, line: number + 1, column: 1),
                    "line longer than \(Self.maxLineBytes >> 20) MiB; expected one JSON object per line")
            }
            pending.removeFirst(offset)
            scanned -= offset
            offset = 0
            let n: Int
            do {
                n = try source.read(into: chunk)
            } catch {
                throw error.locatedAtLine(number + 1)
            }
            if n == 0 { exhausted = true } else { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n])) }
        }
    }
}
