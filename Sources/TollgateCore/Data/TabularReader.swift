/// A pull-based stream of records with named columns: CSV or JSON Lines, compressed or not.
///
/// Fields are handed out as byte views into the reader's own buffer, valid until the next
/// call to `next()`, so a pass over ten million rows allocates nothing per row.
protocol TabularReader: AnyObject {
    var file: String { get }
    var columns: [String] { get }
    /// Advances to the next record; false at the end of the data.
    func next() throws(TollgateError) -> Bool
    /// The bytes of field `index` of the current record.
    func field(_ index: Int) -> UnsafeRawBufferPointer
    /// 1-based line where the current record starts.
    var line: Int { get }
    /// Where field `index` of the current record starts, for messages.
    func location(ofField index: Int) -> SourceLocation
    /// sha256 of the file's bytes, once the stream is exhausted.
    func finalizeDigest() -> String?
}

extension TabularReader {
    func index(ofColumn name: String, role: String, kind: TollgateError.Kind) throws(TollgateError) -> Int {
        guard let index = columns.firstIndex(of: name) else {
            let hint = NameSuggestion.hint(for: name, in: columns)
            throw TollgateError(
                kind, at: SourceLocation(file: file, line: 1),
                "missing column '\(name)' (\(role))\(hint); the columns are: \(columns.joined(separator: ", "))")
        }
        return index
    }

    func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }
}

enum TabularReaders {
    /// Opens a CSV, TSV or JSON Lines file, choosing by extension (after any `.gz`).
    ///
    /// `origin` is the config line that named the file (`dataset.path`, a version's
    /// `predictions`): a file that cannot be opened has no line of its own to point at.
    static func open(
        _ path: String, hashing: Bool, kind: TollgateError.Kind, namedAt origin: SourceLocation? = nil, key: String = "file"
    ) throws(TollgateError) -> any TabularReader {
        let source: any ByteSource
        do {
            source = try ByteSources.open(path, hashing: hashing)
        } catch {
            throw error.named(by: origin, key: key)
        }
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") {
            return try JSONLinesReader(source: source, kind: kind)
        }
        return try CSVReader(source: source, delimiter: name.hasSuffix(".tsv") ? UInt8(ascii: "\t") : UInt8(ascii: ","), kind: kind)
    }
}
