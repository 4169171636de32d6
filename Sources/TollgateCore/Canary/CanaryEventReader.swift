import Foundation

/// Reads canary events from JSON Lines: one file, a folder of `.jsonl` files, or stdin.
///
/// Why it reads from byte offsets: with `--state`, each look is a new process that must read
/// only the events appended since the last look; the reader starts where the state says the
/// last look stopped and reports where it stopped now (only after a complete line).
public struct CanaryEventReader: Sendable {
    /// A line longer than this is refused, so one corrupt line cannot exhaust memory.
    public static let maximumLineBytes = 1 << 20

    /// Where reading of one file stopped: the byte after the last complete line, and its line number.
    public struct Position: Sendable, Equatable, Codable {
        public var byte: Int
        public var line: Int
        public init(byte: Int = 0, line: Int = 0) { (self.byte, self.line) = (byte, line) }
    }

    /// The `.jsonl` files of a source: the file itself, or a folder's files in name order, as
    /// absolute paths with symlinks resolved (the state's positions are keyed by them, however
    /// the path was spelled or linked).
    public static func files(of given: String) throws(TollgateError) -> [String] {
        let source = URL(fileURLWithPath: given).standardizedFileURL.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw TollgateError(.io, at: SourceLocation(file: source), "cannot read the events: no such file or folder")
        }
        guard isDirectory.boolValue else { return [source] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: source) } catch {
            throw TollgateError(.io, at: SourceLocation(file: source), "cannot list the events folder: \(GateConfig.reason(error))")
        }
        var seen = Set<String>()
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map {
            URL(fileURLWithPath: (source as NSString).appendingPathComponent($0)).resolvingSymlinksInPath().path
        }.filter { seen.insert($0).inserted }
    }

    /// Reads one file from `position`; returns its new events and where the next look starts.
    public static func read(file: String, from position: Position = Position(), finalLineComplete: Bool = false) throws(TollgateError) -> (
        events: [CanaryEvent], end: Position
    ) {
        var events: [CanaryEvent] = []
        let end = try forEachEvent(in: file, from: position, finalLineComplete: finalLineComplete) { events.append($0) }
        return (events, end)
    }

    /// Hands each event of `file` after `position` to `body`, reading the file a chunk at a
    /// time, and returns where the next look starts.
    ///
    /// Why streaming: a look over a 10M-event log held every event in memory (5 GiB) before
    /// counting any; now memory is one chunk however long the log. Only the bytes after the last
    /// look are read, so a look with --state after a few new events does not read the whole log.
    public static func forEachEvent(
        in file: String, from position: Position = Position(), finalLineComplete: Bool = false, fields: CanaryFieldSelection = .all,
        _ body: (CanaryEvent) throws(TollgateError) -> Void
    ) throws(TollgateError) -> Position {
        func failure(_ message: String) -> TollgateError { TollgateError(.io, at: SourceLocation(file: file), message) }
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw failure("cannot read the events: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read the events: \(String(cString: strerror(errno)))") }
        guard position.byte <= Int(status.st_size) else {
            throw failure(
                "the events file is shorter than at the last look (\(status.st_size) < \(position.byte) bytes): it was truncated or replaced; start a new state"
            )
        }
        guard lseek(descriptor, off_t(position.byte), SEEK_SET) >= 0 else { throw failure("cannot read the events: \(String(cString: strerror(errno)))") }
        let parser = CanaryEventParser(fields: fields)
        let end = try FileLines.forEach(
            in: descriptor, file: file, from: (position.byte, position.line), lastLineComplete: finalLineComplete, maximumLineBytes: maximumLineBytes
        ) { (line, location) throws(TollgateError) in try body(try parser.parse(line, at: location)) }
        return Position(byte: end.byte, line: end.line)
    }

    /// Reads complete lines of `data` from `position`; a final line without a newline waits for the next look.
    public static func read(data: Data, file: String, from position: Position = Position(), finalLineComplete: Bool = false) throws(TollgateError) -> (
        events: [CanaryEvent], end: Position
    ) {
        var events: [CanaryEvent] = []
        var line = position.line
        let parser = CanaryEventParser(fields: .all)
        let start = min(position.byte, data.count)
        let used = try data.withUnsafeBytes { bytes in
            Result { () throws(TollgateError) in
                try FileLines.forEach(
                    in: UnsafeRawBufferPointer(rebasing: bytes[start...]), file: file, line: &line, lastLineComplete: finalLineComplete,
                    maximumLineBytes: maximumLineBytes
                ) { (content, location) throws(TollgateError) in events.append(try parser.parse(content, at: location)) }
            }
        }.get()
        return (events, Position(byte: start + used, line: line))
    }

    /// A line with a nested value, read by JSONSerialization: kept fields as `parser` says.
    static func parseNested(_ line: Data, at location: SourceLocation, keeping parser: CanaryEventParser) throws(TollgateError) -> CanaryEvent {
        var event = try parse(line, at: location)
        event.fields = event.fields.filter { parser.keeps($0.key) }
        return event
    }

    /// One line to one event, or an error saying what is wrong with it.
    static func parse(_ line: Data, at location: SourceLocation) throws(TollgateError) -> CanaryEvent {
        func fail(_ message: String) -> TollgateError { TollgateError(.dataset, at: location, message) }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                throw fail("expected a JSON object per line")
            }
            object = parsed
        } catch let error as TollgateError { throw error } catch {
            throw fail("malformed JSON: \(GateConfig.reason(error))")
        }
        guard let armText = object["arm"] as? String else { throw fail("missing 'arm' (\"baseline\" or \"canary\")") }
        guard let arm = CanaryEvent.Arm(rawValue: armText) else { throw fail("unknown arm '\(armText)'; expected \"baseline\" or \"canary\"") }
        let time: Double
        switch object["ts"] {
        case let text as String:
            guard let t = RFC3339.seconds(text) else { throw fail("'ts' is not an RFC 3339 time: '\(text)'") }
            time = t
        case let number as NSNumber where !isBoolean(number) && number.doubleValue.isFinite:
            time = number.doubleValue
        case nil: throw fail("missing 'ts' (RFC 3339 or epoch seconds)")
        default: throw fail("'ts' must be RFC 3339 text or epoch seconds")
        }
        var event = CanaryEvent(arm: arm, time: time)
        if let id = object["request_id"] {
            guard let text = id as? String ?? (id as? NSNumber).map({ canonical($0) }) else { throw fail("'request_id' must be text or a number") }
            event.requestId = text
        }
        if let latency = object["latency_ms"] {
            guard let number = latency as? NSNumber, !isBoolean(number), number.doubleValue.isFinite, number.doubleValue > 0 else {
                throw fail("'latency_ms' must be a positive finite number, found \(latency)")
            }
            event.latencyMs = number.doubleValue
        }
        switch object["status"] {
        case nil: break
        case let text as String:
            switch text.lowercased() {
            case "ok": event.isError = false
            case "error": event.isError = true
            default: throw fail("'status' must be an HTTP status or \"ok\"/\"error\", found '\(text)'")
            }
        case let number as NSNumber where !isBoolean(number) && (100...599).contains(number.doubleValue) && number.doubleValue == number.doubleValue.rounded():
            event.isError = number.intValue >= 500
        default: throw fail("'status' must be an HTTP status (100–599) or \"ok\"/\"error\"")
        }
        event.prediction = object["prediction"].flatMap(text)
        event.label = object["label"].flatMap(text)
        for (key, value) in object where !["arm", "ts", "request_id", "status"].contains(key) {
            if let number = value as? NSNumber {
                guard number.doubleValue.isFinite else { throw fail("'\(key)' is not a finite number") }
                event.fields[key] = number.doubleValue
            }
        }
        return event
    }

    /// JSON `true`/`false` arrive as NSNumber too; their objCType is `c` (char).
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    private static func text(_ value: Any) -> String? {
        switch value {
        case let s as String: s
        case let n as NSNumber: canonical(n)
        default: nil
        }
    }

    /// `1`, `1.0` and `true` all read as "1".
    private static func canonical(_ number: NSNumber) -> String {
        let d = number.doubleValue
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
