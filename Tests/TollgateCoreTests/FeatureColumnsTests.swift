import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// Which columns a live scorer sends, typed how, and the batches it reads them in.
@Suite struct FeatureColumnsTests {
    static let csv = """
        id,risk,age,amount,sex,note,leak
        a1,1,67,1169.5,male,,0.9
        a2,0,22,5951,female,x,0.1
        a3,1,,2096,male,3,0.8

        """

    static func setUp(exclude: [String] = []) throws -> (DatasetSpec, ScratchDirectory) {
        let scratch = try ScratchDirectory()
        var dataset = DatasetSpec(
            path: try scratch.write("data.csv", csv), displayPath: "data.csv", idColumn: "id", labelColumn: "risk", task: .binary,
            positive: "1", classes: ["0", "1"], location: SourceLocation(file: "gate.yml", line: 6))
        dataset.exclude = exclude
        dataset.excludeLocation = SourceLocation(file: "gate.yml", line: 12, column: 12)
        return (dataset, scratch)
    }

    static func version(schema: [SchemaColumn] = []) -> ModelVersion {
        ModelVersion(
            model: "credit", version: "2", directory: "/r/credit/2", tags: [:], scorer: .predictions(path: "p.csv", location: SourceLocation(file: "v.yaml")),
            aliases: [], location: SourceLocation(file: "v.yaml"), schema: schema)
    }

    @Test func withoutASchemaEveryColumnButTheIdTheLabelAndTheExcludedIsSentNumbersAsNumbers() throws {
        let (dataset, scratch) = try Self.setUp(exclude: ["leak"])
        let features = try FeatureColumns.resolve(for: Self.version(), dataset: dataset)
        #expect(
            features.columns == [
                .init(name: "age", kind: .integer), .init(name: "amount", kind: .number), .init(name: "sex", kind: .string), .init(name: "note", kind: .string)
            ])
        #expect(features.fingerprint == "age:integer,amount:number,sex:string,note:string")
        _ = scratch
    }

    @Test func aDeclaredSchemaIsSentExactlyInItsOrderAndTypes() throws {
        let (dataset, scratch) = try Self.setUp()
        let features = try FeatureColumns.resolve(
            for: Self.version(schema: [.init(name: "amount", kind: .number), .init(name: "age", kind: .number)]), dataset: dataset)
        #expect(features.names == ["amount", "age"])
        let reader = try FeatureReader(dataset: dataset, features: features)
        let batch = try #require(try reader.next(2))
        #expect(batch == FeatureBatch(columns: ["amount", "age"], ids: ["a1", "a2"], rows: [[.number(1169.5), .number(67)], [.number(5951), .number(22)]]))
        let last = try #require(try reader.next(2))
        #expect(last.ids == ["a3"])
        #expect(last.rows == [[.number(2096), .null]])
        #expect(try reader.next(2) == nil)
        _ = scratch
    }

    @Test func anExcludedOrDeclaredColumnTheDatasetLacksIsNamed() throws {
        let (dataset, scratch) = try Self.setUp(exclude: ["lek"])
        let error = try #require(throws: TollgateError.self) { try FeatureColumns.resolve(for: Self.version(), dataset: dataset) }
        #expect(
            error
                == TollgateError(
                    .config, at: dataset.excludeLocation, "dataset.exclude names column 'lek', which the dataset does not have (did you mean 'leak'?)"))
        let (plain, kept) = try Self.setUp()
        let missing = try #require(throws: TollgateError.self) {
            try FeatureColumns.resolve(for: Self.version(schema: [.init(name: "income", kind: .number)]), dataset: plain)
        }
        #expect(missing.message == "credit@2 declares input 'income' in schema.inputs, but the dataset has no such column")
        _ = (scratch, kept)
    }

    @Test func aCellTheSchemaTypesAsANumberButIsNotOneIsAnErrorAtTheCell() throws {
        let (dataset, scratch) = try Self.setUp()
        let reader = try FeatureReader(dataset: dataset, features: FeatureColumns([.init(name: "sex", kind: .number)]))
        let error = try #require(throws: TollgateError.self) { try reader.next(10) }
        #expect(error.location == SourceLocation(file: dataset.path, line: 2, column: 16))
        #expect(error.message == "expected a finite number in feature column 'sex' (as the version's schema.inputs types it), found 'male'")
        _ = scratch
    }

    @Test func integersBooleansAndEmptyCellsAreReadAsTheirKind() throws {
        let cell = { (text: String, kind: SchemaColumn.Kind) throws -> FeatureValue in
            try Array(text.utf8).withUnsafeBytes { try FeatureCell.value($0, as: kind, column: "c", at: SourceLocation(file: "d.csv")) }
        }
        #expect(try cell("3.0", .integer) == .integer(3))
        #expect(try cell(" 42 ", .integer) == .integer(42))
        #expect(try cell("TRUE", .boolean) == .boolean(true))
        #expect(try cell("0", .boolean) == .boolean(false))
        #expect(try cell("  ", .number) == .null)
        #expect(throws: TollgateError.self) { try cell("3.5", .integer) }
        #expect(throws: TollgateError.self) { try cell("yes", .boolean) }
    }
}
