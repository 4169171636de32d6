import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Each accumulator of the evaluation pass on its own: a few rows worked out by hand, then `finish()`.
@Suite struct RowAccumulatorTests {
    /// Hands `body` a joined row whose buffers live only for the call, as the pass's do.
    static func withRow<R, E: Error>(_ label: Double, _ predictions: [[Double]], _ body: (JoinedRow) throws(E) -> R) throws(E) -> R {
        let values = predictions.map { p -> UnsafeMutableBufferPointer<Double> in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: p.count)
            _ = buffer.initialize(from: p)
            return buffer
        }
        let pointers = UnsafeMutableBufferPointer<UnsafeBufferPointer<Double>>.allocate(capacity: values.count)
        _ = pointers.initialize(from: values.map { UnsafeBufferPointer($0) })
        defer {
            pointers.deallocate()
            for buffer in values { buffer.deallocate() }
        }
        return try body(JoinedRow(label: label, predictions: UnsafeBufferPointer(pointers)))
    }

    /// A reader over `csv`, before its first record.
    static func reader(_ dir: ScratchDirectory, _ csv: String) throws -> any TabularReader {
        try TabularReaders.open(try dir.write("d.csv", csv), hashing: false, kind: .dataset)
    }

    @Test func mcNemarCountsEachCandidatesDiscordantRowsAgainstTheFirst() {
        var counts = McNemarCounts(versions: 3, threshold: 0.5, enabled: true)
        // Right at 0.5: label 1 needs ≥ 0.5, label 0 needs < 0.5.
        Self.withRow(1, [[0.9], [0.2], [0.8]]) { counts.add($0) } // champion right, v1 wrong
        Self.withRow(0, [[0.7], [0.1], [0.6]]) { counts.add($0) } // champion wrong, v1 right
        Self.withRow(0, [[0.2], [0.3], [0.9]]) { counts.add($0) } // champion right, v2 wrong
        Self.withRow(1, [[0.5], [0.5], [0.5]]) { counts.add($0) } // all right
        let tests = counts.finish()
        #expect(tests == [nil, McNemarTest(candidateOnly: 1, championOnly: 1, rows: 4), McNemarTest(candidateOnly: 0, championOnly: 1, rows: 4)])
    }

    @Test func mcNemarCountsNothingWithoutACandidateOrWhenOff() {
        var single = McNemarCounts(versions: 1, threshold: 0.5, enabled: true)
        Self.withRow(1, [[0.9]]) { single.add($0) }
        #expect(single.finish() == [nil])
        var off = McNemarCounts(versions: 2, threshold: 0.5, enabled: false)
        Self.withRow(1, [[0.9], [0.1]]) { off.add($0) }
        #expect(off.finish() == [nil, nil])
    }

    @Test func keptRowsAreRowAlignedPerVersion() {
        var kept = KeptRowsAccumulator(versions: 2, enabled: true)
        Self.withRow(2, [[0.1, 0.2, 0.7], [2]]) { kept.add($0) }
        Self.withRow(0, [[0.8, 0.1, 0.1], [1]]) { kept.add($0) }
        #expect(kept.finish() == KeptRows(labels: [2, 0], predictions: [[0.1, 0.2, 0.7, 0.8, 0.1, 0.1], [2, 1]], widths: [3, 1]))
        var off = KeptRowsAccumulator(versions: 2, enabled: false)
        Self.withRow(1, [[0.9], [0.1]]) { off.add($0) }
        #expect(off.finish() == nil)
    }

    @Test func versionMetricsAreEachVersionsAccumulatorAndDeLongAgainstTheFirst() {
        let rows: [(Double, [[Double]])] = [(1, [[0.9], [0.6]]), (0, [[0.2], [0.7]]), (1, [[0.4], [0.8]]), (0, [[0.1], [0.3]])]
        var withDeLong = VersionMetricsAccumulator([BinaryAccumulator(threshold: 0.5), BinaryAccumulator(threshold: 0.5)], delong: true)
        var without = VersionMetricsAccumulator([BinaryAccumulator(threshold: 0.5), BinaryAccumulator(threshold: 0.5)], delong: false)
        for (label, predictions) in rows {
            Self.withRow(label, predictions) {
                withDeLong.add($0)
                without.add($0)
            }
        }
        let measured = withDeLong.finish()
        let plain = without.finish()
        #expect(measured.map { $0.metrics["accuracy"] } == [0.75, 0.75])
        #expect(measured.map { $0.metrics["roc_auc"] } == [1, 0.75])
        #expect(measured.map { $0.metrics } == plain.map { $0.metrics })
        #expect(measured[0].delong == nil && measured[1].delong != nil)
        #expect(plain.allSatisfy { $0.delong == nil })
        #expect(measured[1].curves?.confusion == [[1, 1], [0, 2]])
    }

    @Test func sliceGroupsMeasureEachGroupAndKeepEachRowsGroup() throws {
        let dir = try ScratchDirectory()
        let reader = try Self.reader(dir, "id,sex,y\n1,m,1\n2,f,0\n3,m,0\n4,f,1\n5,m,1\n")
        let value = try Self.slices(reader, fairness: FairnessOptions())
        let slice = try #require(value.slices.first?.first)
        #expect(slice.columns == ["sex"])
        #expect(slice.groups.map(\.label) == ["sex=f", "sex=m"]) // sorted by value, not by first appearance
        #expect(slice.groups.map(\.count) == [2, 3])
        // f rows (labels 0, 1) are decided (1, 0); m rows (labels 1, 0, 1) are all decided 1.
        #expect(value.metrics[0]["count[sex=f]"] == 2)
        #expect(value.metrics[0]["selection_rate[sex=f]"] == 0.5)
        #expect(value.metrics[0]["recall[sex=m]"] == 1)
        #expect(value.metrics[0]["demographic_parity_difference[sex]"] == 0.5)
        #expect(
            value.kept == [
                KeptSlice(columns: ["sex"], groupOfRow: [0, 1, 0, 1, 0], labels: ["sex=m", "sex=f"], values: [["m"], ["f"]], counts: [3, 2])
            ])
    }

    @Test func aReferenceGroupTheRowsLackIsAConfigError() throws {
        let dir = try ScratchDirectory()
        let reader = try Self.reader(dir, "id,sex,y\n1,m,1\n2,f,0\n")
        #expect(throws: TollgateError(.config, "fairness.reference_groups names 'x' for 'sex', but the evaluated rows have only: f, m")) {
            try Self.slices(reader, fairness: FairnessOptions(referenceGroups: ["sex": "x"]))
        }
    }

    /// Feeds every record (label in column 2, the decision as the score) to a one-version slice accumulator on `sex`.
    static func slices<R: TabularReader>(
        _ reader: R, fairness: FairnessOptions
    ) throws(TollgateError) -> (slices: [[SliceEvaluation]], metrics: [[String: Double]], kept: [KeptSlice]) {
        var slices = try SliceGroupsAccumulator(
            slices: [["sex"]], reader: reader, empty: [BinaryAccumulator(threshold: 0.5)], keepGroups: true, fairness: fairness)
        let decisions: [String: Double] = ["1": 1, "2": 1, "3": 1, "4": 0, "5": 1]
        while try reader.next() {
            let label = Double(reader.string(2))!
            try withRow(label, [[decisions[reader.string(0)]!]]) { row throws(TollgateError) in try slices.add(row) }
        }
        let value = try slices.finish()
        return (value.slices, value.metrics, value.kept)
    }

    @Test func schemaChecksKeepEachColumnsFirstProblem() throws {
        let dir = try ScratchDirectory()
        let reader = try Self.reader(dir, "id,age,flag\n1,30,yes\n2,x,no\n3,4.5,maybe\n4,y,no\n")
        let problems = Self.schema(
            reader,
            [
                SchemaColumn(name: "age", kind: .integer), SchemaColumn(name: "flag", kind: .boolean), SchemaColumn(name: "zip", kind: .number),
                SchemaColumn(name: "age", kind: .integer)
            ])
        #expect(
            problems.mapValues(\.message) == [
                "age:integer": "\(reader.file):3:3: 'x' in column 'age' is not an integer",
                "flag:boolean": "\(reader.file):4:7: 'maybe' in column 'flag' is not a boolean",
                "zip:number": "the dataset has no column 'zip'"
            ])
    }

    static func schema<R: TabularReader>(_ reader: R, _ declared: [SchemaColumn]) -> [String: SchemaCheck.Problem] {
        var schema = SchemaCheckAccumulator(declared, reader: reader)
        while (try? reader.next()) == true { schema.add(reader) }
        return schema.finish()
    }

    @Test func driftColumnsDropMissingCellsAndKeepTheReferencesTypes() throws {
        let dir = try ScratchDirectory()
        let reader = try Self.reader(dir, "id,a,b\n1,1.5,x\n2,,y\n3,2,\n")
        #expect(try Self.drift(reader, ["a", "b"], numerical: [true, false]) == [.numbers([1.5, 2]), .categories(["x", "y"])])
        let none = try Self.reader(dir, "id,a\n1,2\n")
        #expect(try Self.drift(none, [], numerical: []) == [])
    }

    @Test func aWordInANumericalDriftColumnIsAnError() throws {
        let dir = try ScratchDirectory()
        let reader = try Self.reader(dir, "id,a\n1,1.5\n2,many\n")
        #expect(throws: TollgateError.self) { try Self.drift(reader, ["a"], numerical: [true]) }
    }

    static func drift<R: TabularReader>(_ reader: R, _ columns: [String], numerical: [Bool]) throws(TollgateError) -> [DriftColumnValues] {
        var drift = try DriftColumnsAccumulator(columns: columns, numerical: numerical, reader: reader)
        while try reader.next() { try drift.add(reader) }
        return drift.finish()
    }
}
