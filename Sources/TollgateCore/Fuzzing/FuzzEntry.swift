import Foundation

/// The parsers' fuzzing surface: each entry takes arbitrary bytes, runs one parser the way the
/// gate runs it, and returns the error it reported (nil when the input was accepted).
///
/// The libFuzzer targets under `Fuzz/` and the `FuzzReplayTests` suite call these same
/// functions, so a crash libFuzzer finds is replayed by `swift test`, and the suite's
/// assertion that every error names a line is the one the fuzzers are run against.
public enum FuzzEntry {
    /// The file name errors are reported against.
    public static let file = "fuzz.input"

    /// One check sentence (the text of a list item under `checks:`), parsed and validated.
    public static func checkSentence(_ bytes: [UInt8]) -> TollgateError? {
        let sentence = String(decoding: bytes, as: UTF8.self)
        do {
            let check = try CheckParser.parse(sentence, suite: .accuracy, at: SourceLocation(file: file, line: 1, column: 1))
            try CheckValidator.validate(check, task: .binary, sensitive: ["sex", "age_band"])
            if case .compare(_, let expression) = check.condition {
                _ = expression.evaluate(champion: 0.5)
                _ = expression.description
            }
            return nil
        } catch {
            return error
        }
    }

    /// A whole gate config, from bytes as `tollgate validate` reads them (registry not opened).
    public static func config(_ bytes: [UInt8]) -> TollgateError? {
        do {
            let text = try UTF8Text.decode(Data(bytes), file: file, kind: .config, what: "the config file")
            _ = try GateConfig.parse(text, file: file, baseDirectory: URL(fileURLWithPath: "/nonexistent"))
            return nil
        } catch {
            return error
        }
    }

    /// A dataset file read to the end, every cell also parsed as a number: CSV, or JSON Lines
    /// when `jsonLines`; gzip when the bytes start with its magic, as on disk.
    public static func table(_ bytes: [UInt8], jsonLines: Bool) -> TollgateError? {
        do {
            let memory = MemoryByteSource(bytes, path: file)
            let source: any ByteSource = memory.startsWithGzipMagic ? try GzipByteSource(wrapping: memory) : memory
            let reader: any TabularReader =
                jsonLines
                ? try JSONLinesReader(source: source, kind: .dataset)
                : try CSVReader(source: source, delimiter: UInt8(ascii: ","), kind: .dataset)
            while try reader.next() {
                for index in reader.columns.indices {
                    _ = NumberParser.double(reader.field(index))
                    _ = reader.location(ofField: index)
                }
            }
            return nil
        } catch {
            return error
        }
    }

    /// One cell through the number parser; a value it returns must be the correctly rounded
    /// one `strtod` gives for the same text (returned as the mismatch, nil when they agree).
    public static func number(_ bytes: [UInt8]) -> (parsed: Double, expected: Double)? {
        guard let parsed = bytes.withUnsafeBytes({ NumberParser.double($0) }) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard let expected = Double(text) else { return nil }
        return parsed == expected || (parsed.isNaN && expected.isNaN) ? nil : (parsed, expected)
    }

    /// A whole canary config (`tollgate canary --config`), from bytes as the command reads them.
    public static func canaryConfig(_ bytes: [UInt8]) -> TollgateError? {
        do {
            let text = try UTF8Text.decode(Data(bytes), file: file, kind: .config, what: "the canary config")
            _ = try CanaryConfig.parse(text, file: file, baseDirectory: URL(fileURLWithPath: "/nonexistent"))
            return nil
        } catch {
            return error
        }
    }

    /// Canary events (JSON Lines) read as one look; the final line counts as complete, as on
    /// the last look of a finished stream.
    public static func canaryEvents(_ bytes: [UInt8]) -> TollgateError? {
        do {
            _ = try CanaryEventReader.read(data: Data(bytes), file: file, finalLineComplete: true)
            return nil
        } catch {
            return error
        }
    }
}
