/// Reads per-request latency samples: a `latency_ms` column, optionally `error` (0/1,
/// true/false) and `timestamp` (seconds), from a samples file or a predictions file.
enum LatencySamples {
    /// The version's samples file, or its predictions file when that has a `latency_ms` column.
    static func source(for version: ModelVersion) throws(TollgateError) -> String? {
        if let samples = version.latencySamples { return samples }
        guard case .predictions(let path, _) = version.scorer, FileManagerShim.fileExists(path) else { return nil }
        return try TabularReaders.open(path, hashing: false, kind: .predictions).columns.contains("latency_ms") ? path : nil
    }

    static func read(_ path: String, namedAt origin: SourceLocation? = nil) throws(TollgateError) -> LatencySummary {
        let reader = try TabularReaders.open(path, hashing: false, kind: .predictions, namedAt: origin, key: "latency.samples")
        return try read(reader)
    }

    private static func read<Reader: TabularReader>(_ reader: Reader) throws(TollgateError) -> LatencySummary {
        let latency = try reader.index(ofColumn: "latency_ms", role: "per-request latency in milliseconds", kind: .predictions)
        let error = reader.columns.firstIndex(of: "error")
        let timestamp = reader.columns.firstIndex(of: "timestamp")
        var summary = LatencySummary()
        while try reader.next() {
            let bytes = reader.field(latency)
            guard let ms = NumberParser.double(bytes), ms.isFinite, ms >= 0 else {
                throw TollgateError(
                    .predictions, at: reader.location(ofField: latency),
                    "expected a non-negative latency in milliseconds, found '\(String(decoding: bytes, as: UTF8.self))'")
            }
            guard ms * 1000 <= Double(LatencySummary.highestMicroseconds) else {
                throw TollgateError(.predictions, at: reader.location(ofField: latency), "latency \(ms) ms is over the one-hour range of the histogram")
            }
            var failed = false
            if let error {
                switch reader.string(error).lowercased() {
                case "0", "false", "": failed = false
                case "1", "true": failed = true
                case let other:
                    throw TollgateError(.predictions, at: reader.location(ofField: error), "expected 0/1 or true/false in column 'error', found '\(other)'")
                }
            }
            var time: Double?
            if let timestamp {
                guard let t = NumberParser.double(reader.field(timestamp)), t.isFinite else {
                    throw TollgateError(.predictions, at: reader.location(ofField: timestamp), "expected a timestamp in seconds in column 'timestamp'")
                }
                time = t
            }
            summary.record(milliseconds: ms, error: failed, timestamp: time)
        }
        guard summary.requests > 0 else {
            throw TollgateError(.predictions, at: SourceLocation(file: reader.file, line: 2), "the latency samples have a header but no rows")
        }
        return summary
    }
}
