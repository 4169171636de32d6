import Foundation
import InferenceStub
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// What the score cache is keyed by: a change to the artifact, the dataset or the scorer is
/// scored again; the same inputs are read back without a request.
@Suite struct HTTPScorerCacheTests {
    struct Setup {
        let scratch: ScratchDirectory
        let dataset: DatasetSpec
        let version: ModelVersion
        let spec: HTTPScorerSpec

        init(url: String) throws {
            scratch = try ScratchDirectory()
            let rows = (1...40).map { "r\($0),\($0 % 2),\($0)" }
            dataset = DatasetSpec(
                path: try scratch.write("data.csv", "id,y,x\n" + rows.joined(separator: "\n") + "\n"), displayPath: "data.csv", idColumn: "id",
                labelColumn: "y", task: .binary, positive: "1", classes: ["0", "1"], location: SourceLocation(file: "g.yml"))
            var spec = HTTPScorerSpec(url: url, inferenceProtocol: .mlflow, location: SourceLocation(file: "v.yaml", line: 3, column: 5))
            spec.batchSize = 10
            self.spec = spec
            version = ModelVersion(
                model: "m", version: "2", directory: scratch.url.path, tags: [:], scorer: .http(spec), aliases: [], location: SourceLocation(file: "v.yaml"))
        }

        func score(artifact: String?, rescore: Bool = false) throws -> ScoringReport? {
            let options = ScoringOptions(cacheDirectory: scratch.path("cache"), rescore: rescore, environment: [:])
            let context = ScoringContext(version: version, artifactSHA256: artifact, options: options)
            return try HTTPScorer(spec: spec, context: context).predictions(for: dataset).scoring
        }
    }

    @Test func theSameInputsAreReadBackAndAnotherArtifactOrDatasetIsScoredAgain() async throws {
        let stub = try await InferenceStub.start()
        do {
            let setup = try Setup(url: stub.url)
            #expect(try setup.score(artifact: "aa")?.cacheHit == false)
            #expect(stub.inferenceRequests == 4)
            let hit = try setup.score(artifact: "aa")
            #expect(hit?.cacheHit == true)
            #expect(hit?.requests == 4)
            #expect(stub.inferenceRequests == 4)
            #expect(try setup.score(artifact: "bb")?.cacheHit == false)
            #expect(stub.inferenceRequests == 8)
            #expect(try setup.score(artifact: "aa", rescore: true)?.cacheHit == false)
            #expect(stub.inferenceRequests == 12)
            try setup.scratch.write("data.csv", "id,y,x\nr1,1,5\n")
            #expect(try setup.score(artifact: "aa")?.rows == 1)
            #expect(stub.inferenceRequests == 13)
            let entries = try FileManager.default.contentsOfDirectory(atPath: setup.scratch.path("cache"))
            #expect(entries.filter { $0.hasSuffix(".csv") }.count == 3)
            #expect(!entries.contains { $0.hasSuffix(".partial") })
        } catch {
            try? await stub.stop()
            throw error
        }
        try await stub.stop()
    }
}
