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
        return try pass(reader, dataset, versions, options, make: make)
    }

    /// Generic over the reader so the per-row calls are direct, not through an existential.
    private static func pass<Reader: TabularReader, A: MetricAccumulator>(
        _ reader: Reader, _ dataset: DatasetSpec, _ versions: [Input], _ options: Options, make: (any PredictionStream) -> A
    ) throws(TollgateError) -> Evaluation {
        let idIndex = try reader.index(ofColumn: dataset.idColumn, role: "dataset.id", kind: .dataset)
        let labelIndex = try reader.index(ofColumn: dataset.labelColumn, role: "dataset.label", kind: .dataset)
        for column in dataset.sensitive {
            _ = try reader.index(ofColumn: column, role: "listed in dataset.sensitive", kind: .dataset)
        }
        let decoder = LabelDecoder(dataset: dataset)
        var accumulators = versions.map { make($0.stream) }
        let streams = versions.map(\.stream)
        var keyers: [GroupKeyer] = []
        for slice in options.slices { keyers.append(try GroupKeyer(columns: slice, in: reader)) }
        // grouped[version][slice][group]
        var grouped = [[[A]]](repeating: [[A]](repeating: [], count: keyers.count), count: versions.count)
        var rowGroups = [Int](repeating: 0, count: keyers.count)
        var covered = [Int](repeating: 0, count: versions.count)
        var schema = SchemaCheck(options.schema, reader: reader)
        var drift: DriftCollector?
        if let columns = options.drift { drift = try DriftCollector(columns: columns.columns, numerical: columns.numerical, reader: reader) }
        let keepRows = options.keepRows
        var keptLabels: [Double] = []
        var keptPredictions = [[Double]](repeating: [], count: keepRows ? versions.count : 0)
        var keptWidths = [Int](repeating: 1, count: versions.count)
        var keptGroups = [[UInt32]](repeating: [], count: keepRows ? options.slices.count : 0)
        // McNemar's discordant pairs of each version against the first (the champion), counted
        // as the rows stream by, so the test costs nothing when no rows are kept.
        let countDiscordant = dataset.task == .binary && versions.count > 1
        var onlyThisRight = [Int](repeating: 0, count: versions.count), onlyFirstRight = onlyThisRight
        var predictions = [UnsafeBufferPointer<Double>?](repeating: nil, count: versions.count)
        var fingerprints = IDFingerprints()
        var rows = 0, evaluated = 0

        while try reader.next() {
            rows += 1
            let id = reader.field(idIndex)
            if id.isEmpty {
                throw TollgateError(.dataset, at: reader.location(ofField: idIndex), "empty id in column '\(dataset.idColumn)'")
            }
            fingerprints.add(id)
            if !schema.isEmpty { schema.check(reader) }
            if drift != nil { try drift!.add(reader) }
            let label = try decoder.decode(reader.field(labelIndex), column: dataset.labelColumn, at: reader.location(ofField: labelIndex))
            var complete = true
            for v in versions.indices {
                do {
                    predictions[v] = try streams[v].prediction(forID: id, at: reader.location(ofField: idIndex))
                } catch {
                    // A row the predictions lack may be a row the dataset repeats: say which.
                    try confirmUniqueIDs(&fingerprints, dataset: dataset, idIndex: idIndex)
                    throw error
                }
                if predictions[v] == nil { complete = false } else { covered[v] += 1 }
            }
            guard complete else { continue }
            evaluated += 1
            for v in versions.indices { accumulators[v].add(label: label, prediction: predictions[v]!) }
            if countDiscordant {
                let firstRight = (predictions[0]![0] >= dataset.threshold) == (label == 1)
                for v in 1..<versions.count {
                    let right = (predictions[v]![0] >= dataset.threshold) == (label == 1)
                    if right != firstRight { if right { onlyThisRight[v] += 1 } else { onlyFirstRight[v] += 1 } }
                }
            }
            if keepRows {
                keptLabels.append(label)
                for v in versions.indices {
                    keptWidths[v] = predictions[v]!.count
                    keptPredictions[v].append(contentsOf: predictions[v]!)
                }
            }
            guard !keyers.isEmpty else { continue }
            for s in keyers.indices { rowGroups[s] = try keyers[s].group(of: reader) }
            if keepRows { for s in keyers.indices { keptGroups[s].append(UInt32(rowGroups[s])) } }
            for v in versions.indices {
                for s in keyers.indices {
                    let g = rowGroups[s]
                    while grouped[v][s].count <= g { grouped[v][s].append(make(streams[v])) }
                    grouped[v][s][g].add(label: label, prediction: predictions[v]!)
                }
            }
        }
        guard rows > 0 else {
            throw TollgateError(.dataset, at: SourceLocation(file: reader.file, line: 2), "the dataset has a header but no rows")
        }
        guard let datasetDigest = reader.finalizeDigest() else {
            throw TollgateError(.io, at: SourceLocation(file: reader.file), "the dataset could not be hashed")
        }
        try confirmUniqueIDs(&fingerprints, dataset: dataset, idIndex: idIndex)
        for input in versions { try input.stream.finish(datasetContains: fingerprints.contains) }
        guard evaluated > 0 else {
            throw TollgateError(.predictions, at: SourceLocation(file: reader.file), "no dataset row has a prediction from every version, so nothing can be evaluated")
        }

        // DeLong pairs rows across versions by position, so it runs before metrics() sorts.
        var delong = [DeLongTest?](repeating: nil, count: versions.count)
        if options.delong, var binary = accumulators as? [BinaryAccumulator], binary.count > 1 {
            let championKeys = binary[0].scoreKeys
            let champion = ScorePlacements(keys: championKeys)
            for v in 1..<binary.count {
                let placements = ScorePlacements(keys: binary[v].scoreKeys)
                delong[v] = DeLongTest(candidateKeys: binary[v].scoreKeys, candidate: placements, championKeys: championKeys, champion: champion)
                binary[v].adoptRankedKeys(placements.sortedKeys)
            }
            binary[0].adoptRankedKeys(champion.sortedKeys)
            accumulators = binary as! [A]
        }

        var results: [VersionEvaluation] = []
        for v in versions.indices {
            let stream = versions[v].stream
            var metrics = accumulators[v].metrics()
            metrics["coverage"] = Double(covered[v]) / Double(rows)
            var slices: [SliceEvaluation] = []
            for s in keyers.indices {
                var groups: [GroupEvaluation] = []
                for g in grouped[v][s].indices {
                    groups.append(GroupEvaluation(
                        label: keyers[s].label(g), values: keyers[s].groupValues[g], count: grouped[v][s][g].count,
                        metrics: grouped[v][s][g].metrics()))
                }
                groups.sort { $0.values.lexicographicallyPrecedes($1.values) }
                let slice = SliceEvaluation(columns: keyers[s].columnNames, groups: groups)
                for group in groups {
                    metrics["count[\(group.label)]"] = Double(group.count)
                    for (name, value) in group.metrics { metrics["\(name)[\(group.label)]"] = value }
                }
                if dataset.task == .binary {
                    let reference = try referenceGroup(for: slice, options.fairness)
                    metrics.merge(FairnessMetrics.compute(slice, referenceGroup: reference)) { $1 }
                }
                slices.append(slice)
            }
            results.append(VersionEvaluation(
                version: versions[v].version, metrics: metrics, slices: slices, predictionsPath: stream.path,
                predictionsSHA256: stream.sha256, joinStrategy: stream.joinStrategy, layout: stream.layout,
                mcnemar: countDiscordant && v > 0 ? McNemarTest(candidateOnly: onlyThisRight[v], championOnly: onlyFirstRight[v], rows: evaluated) : nil,
                delong: delong[v],
                curves: accumulators[v].curves()))
        }
        return Evaluation(
            datasetRows: rows, evaluatedRows: evaluated, datasetSHA256: datasetDigest, versions: results,
            schemaProblems: schema.problems,
            rows: keepRows
                ? KeptRows(
                    labels: keptLabels, predictions: keptPredictions, widths: keptWidths,
                    slices: keyers.indices.map { s in
                        let groups = grouped[0][s].indices
                        return KeptSlice(
                            columns: keyers[s].columnNames, groupOfRow: keptGroups[s],
                            labels: groups.map { keyers[s].label($0) }, values: groups.map { keyers[s].groupValues[$0] },
                            counts: groups.map { grouped[0][s][$0].count })
                    }) : nil,
            driftCurrent: drift?.values ?? [])
    }

    /// The configured reference group of a one-feature slice, checked to exist.
    private static func referenceGroup(for slice: SliceEvaluation, _ fairness: FairnessOptions) throws(TollgateError) -> String? {
        guard slice.columns.count == 1, let wanted = fairness.referenceGroups[slice.columns[0]] else { return nil }
        guard slice.groups.contains(where: { $0.values == [wanted] }) else {
            throw TollgateError(
                .config, "fairness.reference_groups names '\(wanted)' for '\(slice.columns[0])', but the evaluated rows have only: \(slice.groups.map { $0.values[0] }.joined(separator: ", "))")
        }
        return wanted
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
