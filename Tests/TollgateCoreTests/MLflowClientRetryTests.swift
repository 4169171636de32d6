import Foundation
import InferenceStub
import Testing
import TollgateCore
import TollgateTestSupport

/// A registry that asks its client to back off (429, 503) is waited out, a bounded number of
/// times. No real `mlflow server` can be made to say so on cue, so the scripted stub does: it
/// answers its first requests with the statuses given, then any registry path with a 404.
@Suite struct MLflowClientRetryTests {
    private func readModel(from stub: InferenceStub) throws -> TollgateError? {
        let scratch = try ScratchDirectory()
        let registry = MLflowRegistry(registry: "mlflow+\(stub.url)", environment: [:], cache: scratch.path("cache"), location: nil)
        do {
            _ = try registry.model("credit-risk")
            return nil
        } catch {
            return error
        }
    }

    @Test("429 and 503 are retried, and the answer after them is the one reported")
    func backOffThenAnswer() async throws {
        let stub = try await InferenceStub.start(StubBehaviour(transient: [429, 503, 429]))
        let error = try #require(try readModel(from: stub))
        try await stub.stop()
        #expect(stub.requests == 4)
        #expect(error.description.contains("answered HTTP 404"), "\(error)")
    }

    @Test("a server that keeps asking to wait gets four attempts, then its own words are the error")
    func attemptsAreBounded() async throws {
        let stub = try await InferenceStub.start(StubBehaviour(transient: Array(repeating: 503, count: 10)))
        let error = try #require(try readModel(from: stub))
        try await stub.stop()
        #expect(stub.requests == 4)
        // Not MLflow's error shape, so the body's first line is quoted.
        #expect(error.description.contains(#"answered HTTP 503: {"error": "scripted back-off"}"#), "\(error)")
    }
}
