import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The command scorer: `scorer: {command: [python3, score.py], timeout: 10m}` in `version.yaml`.
///
/// The program runs in the version's folder with no shell. Tollgate writes the feature rows to
/// its stdin as CSV (the id column first, then `FeatureColumns`) while a second thread copies
/// its stdout, as it arrives, into `outputPath`; neither side waits for the other to finish, so
/// neither the dataset nor the predictions are ever held in memory. The finished file is then
/// joined to the dataset like any predictions file. Every row was sent, so a missing, repeated
/// or unknown id in the answer is an error whatever `allow_missing_ids` says.
public struct CommandScorer: Scorer {
    public let spec: CommandScorerSpec
    /// The version scored: its `schema.inputs` choose the features when it declares them.
    public let version: ModelVersion
    /// Where the child's CSV is written (the scorer cache's file for this version).
    public let outputPath: String

    public init(spec: CommandScorerSpec, version: ModelVersion, outputPath: String) {
        self.spec = spec
        self.version = version
        self.outputPath = outputPath
    }

    public func predictions(for dataset: DatasetSpec) throws(TollgateError) -> any PredictionStream {
        try score(dataset)
        var strict = dataset
        strict.allowMissingIDs = false
        strict.allowExtraIDs = false
        return try PredictionJoin(path: outputPath, dataset: strict, namedAt: spec.location)
    }

    /// Runs the program over every dataset row, leaving its answer in `outputPath`; returns the
    /// number of rows sent and of non-blank lines in the answer (its header included), counted
    /// as they passed.
    @discardableResult
    public func score(_ dataset: DatasetSpec) throws(TollgateError) -> (rowsSent: Int, answerLines: Int) {
        let features = try FeatureColumns.resolve(for: version, dataset: dataset).names
        let reader = try TabularReaders.open(dataset.path, hashing: false, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
        let idIndex = try reader.index(ofColumn: dataset.idColumn, role: "the row id", kind: .dataset)
        let columns = [idIndex] + features.map { reader.columns.firstIndex(of: $0)! }
        let header = ([dataset.idColumn] + features).map { CSVField.quoted(Array($0.utf8)) }.joined(separator: ",") + "\n"

        let sink = try OutputSink(path: outputPath, at: spec.location)
        let child = try ChildProcess(arguments: spec.arguments, workingDirectory: spec.workingDirectory, at: spec.location)
        let tail = StderrTail()
        let errors = PipeDrain(child.stderr) { tail.append($0) }
        let answers = PipeDrain(child.stdout) { sink.write($0) }
        let timedOut = Flag()
        let timer = DispatchWorkItem {
            timedOut.set()
            child.killGroup()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + spec.timeout, execute: timer)

        var feedError: TollgateError?
        var sent = 0
        do {
            sent = try Self.feed(reader, columns: columns, header: header, to: child)
        } catch {
            feedError = error
            child.killGroup()
        }
        child.closeInput()
        answers.wait()
        errors.wait()
        let (status, signalled) = child.wait()
        timer.cancel()
        let writeError = sink.close()

        let command = spec.arguments.joined(separator: " ")
        if timedOut.isSet {
            throw TollgateError(
                .predictions, at: spec.location,
                "command '\(command)' did not finish within \(Formatting.duration(spec.timeout)); it was killed with its process group")
        }
        if let feedError { throw feedError }
        if signalled || status != 0 {
            let how = signalled ? "was killed by signal \(status)" : "exited with status \(status)"
            let last = tail.lastLines(5)
            throw TollgateError(
                .predictions, at: spec.location,
                "command '\(command)' \(how)" + (last.isEmpty ? " and wrote nothing to stderr" : "; its last stderr lines: \(last)"))
        }
        if let writeError { throw writeError }
        return (sent, sink.lines)
    }

    /// Streams the header and every row's id and features, in blocks; stops early when the
    /// child stops reading (its exit status or its answer then says why).
    private static func feed(_ reader: any TabularReader, columns: [Int], header: String, to child: ChildProcess) throws(TollgateError) -> Int {
        var block: [UInt8] = Array(header.utf8)
        block.reserveCapacity(1 << 16)
        var rows = 0
        while try reader.next() {
            rows += 1
            for (k, column) in columns.enumerated() {
                if k > 0 { block.append(UInt8(ascii: ",")) }
                CSVField.append(reader.field(column), to: &block)
            }
            block.append(UInt8(ascii: "\n"))
            if block.count >= 1 << 16 {
                guard child.write(block) else { return rows }
                block.removeAll(keepingCapacity: true)
            }
        }
        if !block.isEmpty { _ = child.write(block) }
        return rows
    }
}
