import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `Promotion` against a real registry folder and a real SQLite history: the alias and the
/// deployment move together or not at all.
@Suite("Promotion")
struct PromotionTests {
    /// The fixture's registry (champion 1, challenger 2) and an empty history beside it.
    struct Setup {
        let scratch: ScratchDirectory
        let registry: DirectoryRegistry
        let history: SQLHistory
        var modelFile: String { scratch.path("registry/credit/model.yaml") }

        init(_ fixture: GateFixture = GateFixture()) throws {
            scratch = try ScratchDirectory()
            _ = try fixture.write(to: scratch)
            registry = DirectoryRegistry(root: scratch.path("registry"))
            history = try SQLHistory.open(.sqlite(path: scratch.path("history.sqlite")))
        }

        func modelBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: modelFile)) }

        func events() throws -> [HistoryEvent] {
            var events: [HistoryEvent] = []
            try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in events.append(event) }
            return events
        }
    }

    static let june = Instant(rfc3339: "2026-06-01T10:00:00Z")!

    @Test("the alias moves and the deployment is recorded with the version's commit and times")
    func promotes() throws {
        let setup = try Setup()
        defer { setup.history.close() }
        let result = try Promotion(registry: setup.registry, history: setup.history)
            .promote(model: "credit", version: "2", at: Self.june, id: "dep-1")
        #expect(result.previous == "1")
        let model = try setup.registry.model("credit")
        #expect(model.aliases == ["champion": "2", "challenger": "2"])
        #expect(String(decoding: try setup.modelBytes(), as: UTF8.self).contains(#"champion: "2""#))

        let expected = Deployment(
            id: "dep-1", model: "credit", version: "2", environment: Deployment.production, at: Self.june, type: .planned,
            commit: "0123456789abcdef0123456789abcdef01234567", committedAt: Instant(rfc3339: "2025-12-31T12:00:00Z"),
            registeredAt: Instant(rfc3339: "2026-02-01T00:00:00Z"), recordedAt: result.deployment.recordedAt)
        #expect(result.deployment == expected)
        let events = try setup.events()
        #expect(events.count == 1)
        guard case .deployment(let stored)? = events.first else {
            Issue.record("expected one deployment, got \(events)")
            return
        }
        #expect(stored.id == "dep-1" && stored.version == "2" && stored.at == Self.june && stored.commit == expected.commit)
    }

    @Test("another alias and environment: only that alias moves")
    func otherAlias() throws {
        let setup = try Setup()
        defer { setup.history.close() }
        let result = try Promotion(registry: setup.registry, history: setup.history)
            .promote(model: "credit", version: "1", alias: "staging", environment: "staging", at: Self.june)
        #expect(result.previous == nil)
        #expect(result.deployment.environment == "staging")
        #expect(try setup.registry.model("credit").aliases == ["champion": "1", "challenger": "2", "staging": "1"])
    }

    @Test("a deployment the history refuses puts model.yaml back byte for byte")
    func historyRefuses() throws {
        let setup = try Setup()
        defer { setup.history.close() }
        let before = try setup.modelBytes()
        let future = Instant(rfc3339: "2999-01-01T00:00:00Z")!
        let error = try #require(throws: TollgateError.self) {
            try Promotion(registry: setup.registry, history: setup.history).promote(model: "credit", version: "2", at: future)
        }
        #expect(error.kind == .history)
        #expect(error.message.contains("in the future"), "\(error.message)")
        #expect(try setup.modelBytes() == before)
        #expect(try setup.events().isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: setup.scratch.path("registry/credit")).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("an unknown version is refused, located at MODEL@VERSION, and nothing changes")
    func unknownVersion() throws {
        let setup = try Setup()
        defer { setup.history.close() }
        let before = try setup.modelBytes()
        let error = try #require(throws: TollgateError.self) {
            try Promotion(registry: setup.registry, history: setup.history).promote(model: "credit", version: "7", at: Self.june)
        }
        #expect(error.kind == .registry)
        #expect(error.location == TollgateCore.SourceLocation(file: "credit@7"))
        #expect(error.message.contains("version '7' of model 'credit' not found"), "\(error.message)")
        #expect(try setup.modelBytes() == before)
        #expect(try setup.events().isEmpty)
    }

    @Test("a version.yaml whose source.committed_at is not a time is refused before the alias moves")
    func malformedCommitTime() throws {
        var fixture = GateFixture()
        fixture.files["registry/credit/2/version.yaml"] = fixture.files["registry/credit/2/version.yaml"]!
            .replacingOccurrences(of: "2025-12-31T12:00:00Z", with: "last tuesday")
        let setup = try Setup(fixture)
        defer { setup.history.close() }
        let before = try setup.modelBytes()
        let error = try #require(throws: TollgateError.self) {
            try Promotion(registry: setup.registry, history: setup.history).promote(model: "credit", version: "2", at: Self.june)
        }
        #expect(error.kind == .registry)
        #expect(error.location?.file == setup.scratch.path("registry/credit/2/version.yaml"))
        #expect(error.message == "source.committed_at 'last tuesday' is not an RFC 3339 time")
        #expect(try setup.modelBytes() == before)
        #expect(try setup.events().isEmpty)
    }
}
