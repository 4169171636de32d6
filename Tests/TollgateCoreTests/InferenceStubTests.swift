import Foundation
import InferenceStub
import Testing
import TollgateCore

/// The stub answers as scripted: the fault and latency tests of the live scorers rely on it, so
/// its own timings and shapes are specified here first.
@Suite struct InferenceStubTests {
    private func post(_ stub: InferenceStub, _ path: String, _ json: String, client: HTTPClient = HTTPClient()) async -> Result<HTTPResponse, HTTPFailure> {
        await client.exchange(
            HTTPRequest(
                method: "POST", url: URL(string: stub.url + path)!, headers: [("Content-Type", "application/json")],
                body: Data(json.utf8), timeout: 5))
    }

    private func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    @Test func answersOpenInferenceProtocolWithTheStubModelsProbabilities() async throws {
        let stub = try await InferenceStub.start()
        let response = try await post(
            stub, "/v2/models/m/infer", #"{"inputs": [{"name": "input-0", "shape": [2, 2], "datatype": "FP64", "data": [10, 20, -50, 0]}]}"#
        ).get()
        #expect(response.status == 200)
        let output = try #require((try object(response)["outputs"] as? [[String: Any]])?.first)
        #expect(output["shape"] as? [Int] == [2, 2])
        let data = try #require(output["data"] as? [Double])
        #expect(abs(data[1] - StubModel.probability(numbers: [10, 20])) < 1e-15)
        #expect(abs(data[3] - StubModel.probability(numbers: [-50, 0])) < 1e-15)
        #expect(abs(data[0] + data[1] - 1) < 1e-15)
        #expect(stub.inferenceRequests == 1)
        try await stub.stop()
    }

    @Test func answersMLflowInvocationsAsAProbabilityMatrix() async throws {
        let stub = try await InferenceStub.start()
        let response = try await post(stub, "/invocations", #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3, null]]}}"#).get()
        let predictions = try #require(try object(response)["predictions"] as? [[Double]])
        #expect(predictions.count == 2)
        #expect(abs(predictions[1][1] - StubModel.probability(numbers: [3])) < 1e-15)
        try await stub.stop()
    }

    @Test func readinessWaitsAsScriptedAndTokensAreChecked() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let stub = try await InferenceStub.start(StubBehaviour(readyAfter: 1.5, bearerToken: "s3cret"))
        let client = HTTPClient()
        let probe = { (token: String) async throws in
            try await client.exchange(HTTPRequest(url: URL(string: stub.url + "/v2/health/ready")!, headers: [("Authorization", "Bearer \(token)")])).get()
                .status
        }
        #expect(try await probe("wrong") == 401)
        let early = try await probe("s3cret")
        if clock.now - started < .milliseconds(1400) { #expect(early == 503) }
        try await _Concurrency.Task.sleep(until: started + .milliseconds(1600))
        #expect(try await probe("s3cret") == 200)
        try await stub.stop()
    }

    @Test(arguments: [
        (StubBehaviour.Response.wrongLength, 1 * 2), (.wrongWidth, 2 * 3), (.status(503), -503), (.notJSON, -200)
    ])
    func spoilsAnswersOnCue(response: StubBehaviour.Response, expected: Int) async throws {
        let stub = try await InferenceStub.start(StubBehaviour(response: response))
        let reply = try await post(stub, "/v2/models/m/infer", #"{"inputs": [{"name": "x", "shape": [2, 1], "datatype": "FP64", "data": [1, 2]}]}"#).get()
        if expected < 0 {
            #expect(reply.status == -expected)
            #expect((try? JSONSerialization.jsonObject(with: reply.body)) == nil || reply.status != 200)
        } else {
            let output = try #require((try object(reply)["outputs"] as? [[String: Any]])?.first)
            #expect((output["data"] as? [Any])?.count == expected)
        }
        try await stub.stop()
    }

    /// A freeze that starts with the first request holds its answer until the freeze ends (plus
    /// the service time). The window is fixed by the stub's own clock at arrival, so only a
    /// lower bound is asserted: the stub cannot answer early, while a loaded machine may answer
    /// late (an earlier form slept between two requests and failed in CI when a busy cooperative
    /// pool delayed the second send past the freeze).
    @Test func aFreezeHoldsEveryAnswerUntilItEnds() async throws {
        let stub = try await InferenceStub.start(StubBehaviour(serviceTime: 0.001, freeze: .init(start: 0, duration: 1.5)))
        let body = #"{"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP64", "data": [1]}]}"#
        let reply = try await post(stub, "/v2/models/m/infer", body).get()
        let answered = DispatchTime.now().uptimeNanoseconds // NIO's deadlines read this clock
        let first = try #require(stub.firstInference)
        #expect(reply.status == 200)
        #expect(answered >= first + 1_501_000_000)
        #expect(stub.inferenceRequests == 1)
        try await stub.stop()
    }

    @Test func countsAndFailsEveryNthRequest() async throws {
        let stub = try await InferenceStub.start(StubBehaviour(errorEvery: 3))
        let body = #"{"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP64", "data": [1]}]}"#
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await post(stub, "/v2/models/m/infer", body).get().status) }
        #expect(statuses == [200, 200, 500, 200, 200, 500])
        #expect(stub.inferenceRequests == 6)
        try await stub.stop()
    }
}
