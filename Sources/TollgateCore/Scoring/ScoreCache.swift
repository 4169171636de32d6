import Foundation

/// Scores a live scorer obtained, kept under `.tollgate/cache/scores/` as a predictions CSV.
///
/// The key is the sha256 of everything the scores depend on: the scorer's fingerprint (kind,
/// URL, protocol, model, version, input, output, the features sent), the dataset's bytes, the
/// artifact's bytes, and how the answer is laid out (task, classes). Headers are not in it:
/// credentials do not change a model's scores, and a key must never carry a secret. A file is
/// written beside its final name and renamed only when complete, so a reader sees a whole
/// cache entry or none.
struct ScoreCache {
    let directory: String
    let key: String

    init(directory: String, fingerprint: [(String, String)]) {
        self.directory = directory
        let text = fingerprint.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        key = SHA256Digest.hex(of: Data(text.utf8))
    }

    var predictionsPath: String { (directory as NSString).appendingPathComponent("\(key).csv") }
    var summaryPath: String { (directory as NSString).appendingPathComponent("\(key).json") }

    /// The cached scores and the report of the scoring that made them, if complete.
    func lookup() -> (path: String, report: ScoringReport?)? {
        guard FileManager.default.fileExists(atPath: predictionsPath) else { return nil }
        let report = FileManager.default.contents(atPath: summaryPath).flatMap { try? JSONDecoder().decode(ScoringReport.self, from: $0) }
        return (predictionsPath, report)
    }

    /// A fresh temporary file in the cache folder, for `commit` to rename.
    func temporaryPath() throws(TollgateError) -> String {
        (try folder() as NSString).appendingPathComponent(".\(key).\(UUID().uuidString).partial")
    }

    /// The cache folder, created if need be.
    func folder() throws(TollgateError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: directory), "cannot create the score cache folder: \(error.localizedDescription)")
        }
        return directory
    }

    /// Moves a complete predictions file into place, with the report of its scoring beside it.
    func commit(_ temporary: String, report: ScoringReport) throws(TollgateError) {
        let summaryTemporary = temporary + ".json"
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: summaryTemporary))
            try Self.replace(predictionsPath, with: summaryTemporary, then: summaryPath)
            try Self.replace(nil, with: temporary, then: predictionsPath)
        } catch {
            try? FileManager.default.removeItem(atPath: summaryTemporary)
            throw TollgateError(.io, at: SourceLocation(file: predictionsPath), "cannot write the score cache: \(error.localizedDescription)")
        }
    }

    /// rename(2): atomic on one file system, replacing what is there. A stale entry's scores go
    /// first (`stale`), so a summary never sits beside scores it does not describe.
    private static func replace(_ stale: String?, with source: String, then destination: String) throws {
        if let stale { _ = unlink(stale) }
        guard rename(source, destination) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    }
}
