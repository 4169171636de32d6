/// The one streaming pass: each dataset row is read once, joined with every version's
/// prediction, and fed to that version's accumulator.
public enum Evaluator {
    public struct Input {
        public var version: String
        public var stream: any PredictionStream
        public init(version: String, stream: any PredictionStream) {
            self.version = version
            self.stream = stream
        }
    }

    /// What to measure besides the overall metrics: groups of sensitive features.
    public struct Options: Sendable {
        public var slices: [[String]]
        public var fairness: FairnessOptions
        /// Input columns the versions declare, checked cell by cell during the pass.
        public var schema: [SchemaColumn]
        /// Keep each evaluated row's label and predictions, for resampling and paired tests.
        public var keepRows: Bool
        /// Work out DeLong's test of each version's ROC AUC against the first version's.
        public var delong = false
        /// Columns to collect for drift, and whether the reference found each numerical.
        var drift: (columns: [String], numerical: [Bool])? = nil
        public init(slices: [[String]] = [], fairness: FairnessOptions = FairnessOptions(), schema: [SchemaColumn] = [], keepRows: Bool = false) {
            self.slices = slices
            self.fairness = fairness
            self.schema = schema
            self.keepRows = keepRows
        }
    }

    public static func evaluate(dataset: DatasetSpec, versions: [Input], options: Options = Options()) throws(TollgateError) -> Evaluation {
        switch dataset.task {
        case .binary:
            return try run(dataset, versions, options) { _ in BinaryAccumulator(threshold: dataset.threshold) }
        case .multiclass:
            return try run(dataset, versions, options) {
                MulticlassAccumulator(classCount: dataset.classes.count, hasProbabilities: $0.layout == .probabilities)
            }
        case .regression:
            return try run(dataset, versions, options) { _ in RegressionAccumulator() }
        }
    }

    private static func run<A: MetricAccumulator>(
        _ dataset: DatasetSpec, _ versions: [Input], _ options: Options, make: (any PredictionStream) -> A
    ) throws(TollgateError) -> Evaluation {
        let reader = try TabularReaders.open(dataset.path, hashing: true, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
        // The pass is the hot loop: handed a concrete reader, the optimiser specialises it and
        // every accumulator in it, instead of running them through witness tables.
        switch reader {
        case let csv as CSVReader: return try pass(csv, dataset, versions, options, make: make)
        case let lines as JSONLinesReader: return try pass(lines, dataset, versions, options, make: make)
        default: return try pass(reader, dataset, versions, options, make: make)
        }
    }

    /// Reads each row once and hands it to the accumulators: schema and drift see every row,
    /// the rest only the rows every version predicted. Generic over the reader, and holding each
    /// accumulator by its concrete type, so that once specialised the per-row calls are direct.
    private static func pass<Reader: TabularReader, A: MetricAccumulator>(
        _ reader: Reader, _ dataset: DatasetSpec, _ versions: [Input], _ options: Options, make: (any PredictionStream) -> A
    ) throws(TollgateError) -> Evaluation {
        let idIndex = try reader.index(ofColumn: dataset.idColumn, role: "dataset.id", kind: .dataset)
        let labelIndex = try reader.index(ofColumn: dataset.labelColumn, role: "dataset.label", kind: .dataset)
        for column in dataset.sensitive {
            _ = try reader.index(ofColumn: column, role: "listed in dataset.sensitive", kind: .dataset)
        }
        let decoder = LabelDecoder(dataset: dataset)
        let streams = versions.map(\.stream)
        let empty = streams.map(make)
        var overall = VersionMetricsAccumulator(empty, delong: options.delong)
        var slices = try SliceGroupsAccumulator(
            slices: options.slices, reader: reader, empty: empty, keepGroups: options.keepRows,
            fairness: dataset.task == .binary ? options.fairness : nil)
        var schema = SchemaCheckAccumulator(options.schema, reader: reader)
        var drift = try DriftColumnsAccumulator(columns: options.drift?.columns ?? [], numerical: options.drift?.numerical ?? [], reader: reader)
        var kept = KeptRowsAccumulator(versions: versions.count, enabled: options.keepRows)
        var mcnemar = McNemarCounts(versions: versions.count, threshold: dataset.threshold, enabled: dataset.task == .binary)
        var joiner = RowJoiner(streams)
        var fingerprints = IDFingerprints()
        var rows = 0
        var evaluated = 0

        while try reader.next() {
            rows += 1
            let id = reader.field(idIndex)
            if id.isEmpty {
                throw TollgateError(.dataset, at: reader.location(ofField: idIndex), "empty id in column '\(dataset.idColumn)'")
            }
            fingerprints.add(id)
            schema.add(reader)
            try drift.add(reader)
            let label = try decoder.decode(reader.field(labelIndex), column: dataset.labelColumn, at: reader.location(ofField: labelIndex))
            let joined: JoinedRow?
            do {
                joined = try joiner.join(id: id, label: label, at: reader.location(ofField: idIndex))
            } catch {
                // A row the predictions lack may be a row the dataset repeats: say which.
                try confirmUniqueIDs(&fingerprints, dataset: dataset, idIndex: idIndex)
                throw error
            }
            guard let row = joined else { continue }
            evaluated += 1
            overall.add(row)
            mcnemar.add(row)
            kept.add(row)
            try slices.add(row)
        }
        let digest = try confirmComplete(reader, rows: rows, evaluated: evaluated, &fingerprints, dataset, idIndex, versions)
        let grouped = try slices.finish()
        var keptRows = kept.finish()
        keptRows?.slices = grouped.kept
        return Evaluation(
            datasetRows: rows, evaluatedRows: evaluated, datasetSHA256: digest,
            versions: versionEvaluations(versions, overall.finish(), grouped, mcnemar.finish(), covered: joiner.covered, rows: rows),
            schemaProblems: schema.finish(), rows: keptRows, driftCurrent: drift.finish())
    }

    /// After the last row: the dataset had rows, hashed, repeats no id, every prediction was
    /// asked for, and some row was evaluated. Returns the dataset's sha256.
    private static func confirmComplete<Reader: TabularReader>(
        _ reader: Reader, rows: Int, evaluated: Int, _ fingerprints: inout IDFingerprints, _ dataset: DatasetSpec, _ idIndex: Int, _ versions: [Input]
    ) throws(TollgateError) -> String {
        guard rows > 0 else {
            throw TollgateError(.dataset, at: SourceLocation(file: reader.file, line: 2), "the dataset has a header but no rows")
        }
        guard let digest = reader.finalizeDigest() else {
            throw TollgateError(.io, at: SourceLocation(file: reader.file), "the dataset could not be hashed")
        }
        try confirmUniqueIDs(&fingerprints, dataset: dataset, idIndex: idIndex)
        for input in versions { try input.stream.finish(datasetContains: fingerprints.contains) }
        guard evaluated > 0 else {
            throw TollgateError(
                .predictions, at: SourceLocation(file: reader.file), "no dataset row has a prediction from every version, so nothing can be evaluated")
        }
        return digest
    }

    /// Each version's metrics, with its coverage and slice figures, beside its tests and curves.
    private static func versionEvaluations<A: MetricAccumulator, Reader: TabularReader>(
        _ versions: [Input], _ measured: [VersionMetricsAccumulator<A>.Measured], _ grouped: SliceGroupsAccumulator<Reader, A>.Value,
        _ mcnemar: [McNemarTest?], covered: [Int], rows: Int
    ) -> [VersionEvaluation] {
        versions.indices.map { v in
            let stream = versions[v].stream
            var metrics = measured[v].metrics
            metrics["coverage"] = Double(covered[v]) / Double(rows)
            metrics.merge(grouped.metrics[v]) { $1 }
            return VersionEvaluation(
                version: versions[v].version, metrics: metrics, slices: grouped.slices[v], predictionsPath: stream.path,
                predictionsSHA256: stream.sha256, joinStrategy: stream.joinStrategy, layout: stream.layout,
                mcnemar: mcnemar[v], delong: measured[v].delong, curves: measured[v].curves)
        }
    }

    /// Reports the first id the dataset repeats, re-reading only the ids when fingerprints collide.
    private static func confirmUniqueIDs(_ fingerprints: inout IDFingerprints, dataset: DatasetSpec, idIndex: Int) throws(TollgateError) {
        let suspects = fingerprints.suspects()
        guard !suspects.isEmpty else { return }
        let reader = try TabularReaders.open(dataset.path, hashing: false, kind: .dataset, namedAt: dataset.pathLocation, key: "dataset.path")
        var firstLine: [String: Int] = [:]
        while try reader.next() {
            let id = reader.field(idIndex)
            guard suspects.contains(IDFingerprints.fingerprint(id)) else { continue }
            let key = String(decoding: id, as: UTF8.self)
            if let first = firstLine[key] {
                throw TollgateError(.dataset, at: reader.location(ofField: idIndex), "duplicate id '\(key)' in the dataset (first at line \(first))")
            }
            firstLine[key] = reader.line
        }
    }
}
