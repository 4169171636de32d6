/// A streaming RFC 4180 reader: quoted fields with embedded delimiters, quotes and newlines,
/// CRLF or LF line ends, a UTF-8 byte-order mark, and ragged rows reported with their line.
///
/// It scans each record twice at most: once to find field boundaries (restarting after a
/// refill if the record crosses the buffer's end), then once more only for quoted fields, to
/// unescape `""` in place. Blank lines are skipped, as pandas does.
final class CSVReader: TabularReader {
    /// The longest record buffered: one unclosed quote must not read a whole file into memory.
    static let maxRecordBytes = 64 << 20
    private(set) var columns: [String]
    private let source: any ByteSource
    private let delimiter: UInt8
    private let kind: TollgateError.Kind

    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var exhausted = false

    /// The current record's fields. A raw buffer rather than arrays: these are touched for
    /// every field of every row, and array properties of a class pay for exclusivity checks.
    private var fields: UnsafeMutablePointer<FieldSpan>
    private var fieldCapacity = 64
    private var fieldCount = 0

    private struct FieldSpan {
        var start: Int
        var end: Int
        var quoted: Bool
        var line: Int
        var column: Int
    }

    private(set) var line = 0
    /// Line on which the next record starts.
    private var nextLine = 1

    var file: String { source.path }

    init(source: any ByteSource, delimiter: UInt8, kind: TollgateError.Kind) throws(TollgateError) {
        self.source = source
        self.delimiter = delimiter
        self.kind = kind
        buffer = .allocate(byteCount: 1 << 20, alignment: 8)
        fields = .allocate(capacity: fieldCapacity)
        columns = []
        try fill()
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF { start += 3 }
        guard try next() else {
            throw TollgateError(kind, at: SourceLocation(file: source.path, line: 1, column: 1), "the file is empty; expected a header row naming the columns")
        }
        var names: [String] = []
        for i in 0..<fieldCount {
            let name = string(i).trimmingSpaces()
            if let first = names.firstIndex(of: name) {
                throw TollgateError(kind, at: location(ofField: i), "duplicate column name '\(name)' (also column \(first + 1) of the header)")
            }
            names.append(name)
        }
        columns = names
    }

    deinit {
        buffer.deallocate()
        fields.deallocate()
    }

    @inline(__always)
    func field(_ index: Int) -> UnsafeRawBufferPointer {
        let span = fields[index]
        return UnsafeRawBufferPointer(start: buffer.baseAddress! + span.start, count: span.end - span.start)
    }

    func location(ofField index: Int) -> SourceLocation {
        guard index < fieldCount else { return SourceLocation(file: file, line: line) }
        return SourceLocation(file: file, line: fields[index].line, column: fields[index].column)
    }

    func finalizeDigest() -> String? { source.finalizeDigest() }

    func next() throws(TollgateError) -> Bool {
        while true {
            if start == end {
                if exhausted { return false }
                try fill()
                continue
            }
            switch try scanRecord() {
            case .record(let recordEnd, let lines):
                line = nextLine
                nextLine += lines
                start = recordEnd
                if fieldCount == 1, fields[0].end == fields[0].start, !fields[0].quoted { continue } // blank line
                try unescapeQuotedFields()
                if !columns.isEmpty, fieldCount != columns.count {
                    throw TollgateError(
                        kind, at: SourceLocation(file: file, line: line),
                        "ragged row: expected \(columns.count) fields as in the header, found \(fieldCount)")
                }
                return true
            case .needMore:
                try fill()
            }
        }
    }

    private enum ScanResult {
        case record(end: Int, lines: Int)
        case needMore
    }

    /// Finds the boundaries of the record starting at `start`.
    private func scanRecord() throws(TollgateError) -> ScanResult {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        let delimiter = self.delimiter
        var p = start
        var lines = 0
        var lineStart = start
        fieldCount = 0
        while true {
            // One field starting at p.
            let fieldLineNumber = nextLine + lines
            let column = p - lineStart + 1
            if p < end, base[p] == quote {
                var q = p + 1
                var closed = false
                while q < end {
                    let c = base[q]
                    if c == quote {
                        if q + 1 < end, base[q + 1] == quote {
                            q += 2
                            continue
                        }
                        if q + 1 == end, !exhausted { return .needMore }
                        closed = true
                        break
                    }
                    if c == newline {
                        lines += 1
                        lineStart = q + 1
                    }
                    q += 1
                }
                if !closed {
                    if !exhausted { return .needMore }
                    throw TollgateError(
                        kind, at: SourceLocation(file: file, line: fieldLineNumber, column: column),
                        "unterminated quoted field: expected a closing '\"' before the end of the file")
                }
                append(start: p + 1, end: q, quoted: true, line: fieldLineNumber, column: column)
                p = q + 1
                if p == end, !exhausted { return .needMore }
                if p < end, base[p] != delimiter, base[p] != newline, !(base[p] == cr && (p + 1 >= end || base[p + 1] == newline)) {
                    throw TollgateError(
                        kind, at: SourceLocation(file: file, line: nextLine + lines, column: p - lineStart + 1),
                        "expected a '\(Character(UnicodeScalar(delimiter)))' or the end of the line after a closing quote")
                }
            } else {
                var q = p
                while q < end {
                    let c = base[q]
                    if c == delimiter || c == newline { break }
                    q += 1
                }
                if q == end, !exhausted { return .needMore }
                var fieldEnd = q
                if fieldEnd > p, base[fieldEnd - 1] == cr, q == end || base[q] == newline { fieldEnd -= 1 }
                append(start: p, end: fieldEnd, quoted: false, line: fieldLineNumber, column: column)
                p = q
            }
            // After a field: delimiter, newline (CR already trimmed), or end of data.
            if p < end, base[p] == cr { p += 1 }
            if p >= end { return .record(end: end, lines: lines + 1) }
            if base[p] == newline { return .record(end: p + 1, lines: lines + 1) }
            p += 1 // delimiter
            if p == end {
                if !exhausted { return .needMore }
                append(start: p, end: p, quoted: false, line: nextLine + lines, column: p - lineStart + 1)
                return .record(end: end, lines: lines + 1)
            }
        }
    }

    @inline(__always)
    private func append(start: Int, end: Int, quoted: Bool, line: Int, column: Int) {
        if fieldCount == fieldCapacity {
            let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: fieldCapacity * 2)
            bigger.moveInitialize(from: fields, count: fieldCount)
            fields.deallocate()
            fields = bigger
            fieldCapacity *= 2
        }
        (fields + fieldCount).initialize(to: FieldSpan(start: start, end: end, quoted: quoted, line: line, column: column))
        fieldCount += 1
    }

    /// Turns `""` into `"` inside quoted fields, shrinking them in place.
    private func unescapeQuotedFields() throws(TollgateError) {
        let quote = UInt8(ascii: "\"")
        for i in 0..<fieldCount where fields[i].quoted {
            var read = fields[i].start
            var write = fields[i].start
            let stop = fields[i].end
            while read < stop {
                let c = buffer[read]
                buffer[write] = c
                write += 1
                read += c == quote ? 2 : 1
            }
            fields[i].end = write
        }
    }

    /// Moves the unread tail to the front and reads more, growing the buffer for huge records.
    private func fill() throws(TollgateError) {
        guard !exhausted else { return }
        if start > 0 {
            let count = end - start
            if count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            }
            start = 0
            end = count
        }
        if end == buffer.count {
            guard buffer.count < Self.maxRecordBytes else {
                throw TollgateError(
                    kind, at: SourceLocation(file: file, line: nextLine, column: 1),
                    "a record longer than \(Self.maxRecordBytes >> 20) MiB starts here (an unclosed quote?)")
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 8)
            bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
            buffer.deallocate()
            buffer = bigger
        }
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        } catch {
            throw error.locatedAtLine(nextLine)
        }
        if n == 0 { exhausted = true }
        end += n
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
