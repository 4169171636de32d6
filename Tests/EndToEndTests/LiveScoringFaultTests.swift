import Foundation
import InferenceStub
import Testing
import TollgateTestSupport

/// A served model that misbehaves stops the run: exit 2, one located line saying what the
/// server did, no report and nothing cached. The faults come from the scripted stub server,
/// the one part no real server does on cue; the messages come from the real binary.
@Suite struct LiveScoringFaultTests {
    /// A gate whose candidate is served by `url`, 100 rows of two numeric features.
    struct StubGate {
        let scratch: ScratchDirectory
        let config: String

        init(url: String, protocolName: String = "oip-v2", extra: [String] = []) throws {
            scratch = try ScratchDirectory()
            let rows = (1...100).map { "r\($0),\($0 % 2),\($0),\(($0 * 7) % 13)" }
            try scratch.write("data.csv", "id,label,x1,x2\n" + rows.joined(separator: "\n") + "\n")
            try scratch.write("champion.csv", "id,score\n" + (1...100).map { "r\($0),0.5" }.joined(separator: "\n") + "\n")
            try scratch.write("registry/m/model.yaml", "aliases: {champion: \"1\", challenger: \"2\"}\n")
            try scratch.write("registry/m/1/version.yaml", "scorer:\n  predictions: ../../../champion.csv\n")
            let model = protocolName == "oip-v2" ? "    model: m\n" : ""
            try scratch.write(
                "registry/m/2/version.yaml",
                "scorer:\n  http:\n    url: \(url)\n    protocol: \(protocolName)\n\(model)    batch_size: 32\n    concurrency: 2\n"
                    + extra.map { "    \($0)\n" }.joined())
            config = try scratch.write(
                "gate.yml",
                """
                model: m
                registry: registry
                champion: "@champion"
                candidates: ["@challenger"]
                dataset: {path: data.csv, id: id, label: label, task: binary}
                checks:
                  accuracy:
                    - accuracy >= 0.1

                """)
        }

        func run(environment: [String: String] = [:]) throws -> ToolResult {
            try Tool.run(["run", "--config", config, "--json", scratch.path("run.json"), "--no-record"], environment: environment)
        }

        /// Nothing half-way: no report, and no cache entry (a partial file included).
        func expectNothingRecorded(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            #expect(!FileManager.default.fileExists(atPath: scratch.path("run.json")), sourceLocation: sourceLocation)
            let cache = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path(".tollgate/cache/scores"))) ?? []
            #expect(cache.isEmpty, "\(cache)", sourceLocation: sourceLocation)
        }
    }

    static let faults: [(StubBehaviour, [String], String)] = [
        (
            StubBehaviour(response: .status(401)), [],
            "/v2/models/m/infer refused the request with HTTP 401 (unauthorized): check the credentials in the scorer's 'headers'"
        ),
        (
            StubBehaviour(response: .status(403)), [],
            "/v2/models/m/infer refused the request with HTTP 403 (forbidden): check the credentials in the scorer's 'headers'"
        ),
        (StubBehaviour(response: .status(503)), [], #"/v2/models/m/infer answered HTTP 503 for rows 'r1'…'r32' (32): '{"error": "scripted status"}'"#),
        (StubBehaviour(response: .status(422)), [], #"/v2/models/m/infer answered HTTP 422 for rows 'r1'…'r32' (32): '{"error": "scripted status"}'"#),
        (StubBehaviour(errorEvery: 3), [], #"answered HTTP 500 for rows 'r65'…'r96' (32): '{"error": "scripted"}'"#),
        (
            StubBehaviour(response: .wrongLength), [],
            "/v2/models/m/infer for rows 'r1'…'r32' (32) is not one valid prediction per row: output 'predict_proba': expected 32 rows (one per row sent), found shape [31, 2]"
        ),
        (StubBehaviour(response: .wrongWidth), [], "is not one valid prediction per row: expected 2 probability columns (dataset.classes: 0, 1), found 3"),
        (StubBehaviour(response: .nan), [], "is not one valid prediction per row: row 1: a class probability is NaN"),
        (StubBehaviour(response: .outOfRange), [], "is not one valid prediction per row: row 1: expected probabilities between 0 and 1, found -0.5"),
        (StubBehaviour(response: .notJSON), [], "could not read the answer of "),
        (StubBehaviour(response: .hang), ["timeout: 300ms"], "/v2/models/m/infer within 0.3 s (the scorer's 'timeout') for rows 'r1'…'r32' (32)"),
        (
            StubBehaviour(readyAfter: 3600), ["ready_timeout: 700ms"],
            #"/v2/health/ready was not ready within 0.7 s (the scorer's 'ready_timeout'); last: GET "#
        )
    ]

    @Test(arguments: 0..<faults.count)
    func aMisbehavingServerStopsTheRunWithExitTwoAndASentenceSayingWhat(_ index: Int) async throws {
        let (behaviour, extra, message) = Self.faults[index]
        let (gate, result) = try await InferenceStub.serving(behaviour) { stub in
            let gate = try StubGate(url: stub.url, extra: extra)
            return (gate, try gate.run())
        }
        #expect(result.exitCode == 2, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(gate.scratch.path("registry/m/2/version.yaml")):3:5: "), "\(result.stderr)")
        // Two batches are in flight and both meet the fault; the first answer to arrive is the
        // one named (ScoringPipeline stops at the first fault in time), so the second batch's
        // rows are read as the first's (any batch the stub spoiled).
        let named = result.stderr.replacingOccurrences(of: #"'r\d+'…'r\d+' \(\d+\)"#, with: "'r1'…'r32' (32)", options: .regularExpression)
        let expected = message.replacingOccurrences(of: #"'r\d+'…'r\d+' \(\d+\)"#, with: "'r1'…'r32' (32)", options: .regularExpression)
        #expect(named.contains(expected), "\(result.stderr)")
        gate.expectNothingRecorded()
    }

    @Test func theStubsOwnScoresPassThroughBothProtocolsUnchanged() async throws {
        let requests = try await InferenceStub.serving { stub in
            for protocolName in ["oip-v2", "mlflow"] {
                try Self.expectStubScores(stub, protocolName)
            }
            return stub.inferenceRequests
        }
        #expect(requests == 8)
    }

    static func expectStubScores(_ stub: InferenceStub, _ protocolName: String) throws {
        do {
            let gate = try StubGate(url: stub.url, protocolName: protocolName)
            let result = try gate.run()
            #expect(result.exitCode == 0, "\(result.stderr)")
            let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: gate.scratch.path("run.json")))) as? [String: Any])
            let candidate = try #require((report["candidates"] as? [[String: Any]])?.first)
            let path = try #require((candidate["predictions"] as? [String: Any])?["path"] as? String)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "id,score")
            for (row, line) in lines.dropFirst().enumerated() {
                let n = Double(row + 1)
                let expected = StubModel.probability(numbers: [n, Double((row + 1) * 7 % 13)])
                #expect(line == "r\(row + 1),\(expected)", "\(protocolName)")
            }
            let scoring = try #require(candidate["scoring"] as? [String: Any])
            #expect(scoring["requests"] as? Int == 4)
            #expect(scoring["rows"] as? Int == 100)
            #expect(scoring["retries"] as? Int == 0)
        }
    }

    @Test func aBearerTokenFromTheEnvironmentIsSentAndAWrongOneIsRefusedAtReadinessWithoutShowingIt() async throws {
        let token = "tok-\(UUID().uuidString)"
        try await InferenceStub.serving(StubBehaviour(bearerToken: token)) { stub in try Self.expectTokenHandling(stub, token) }
    }

    static func expectTokenHandling(_ stub: InferenceStub, _ token: String) throws {
        let gate = try StubGate(url: stub.url, extra: ["headers: {Authorization: \"Bearer ${STUB_TOKEN}\"}"])
        let good = try gate.run(environment: ["STUB_TOKEN": token])
        #expect(good.exitCode == 0, "\(good.stderr)")
        #expect(!(good.stdout + good.stderr).contains(token))
        let json = try String(contentsOfFile: gate.scratch.path("run.json"), encoding: .utf8)
        #expect(!json.contains(token))
        #expect(json.contains(#""endpoint":"\#(stub.url)/v2/models/m/infer""#) || json.contains(#""endpoint" : "\#(stub.url)/v2/models/m/infer""#))
        try FileManager.default.removeItem(atPath: gate.scratch.path("run.json"))
        try FileManager.default.removeItem(atPath: gate.scratch.path(".tollgate"))
        let wrong = "wrong-\(UUID().uuidString)"
        let bad = try gate.run(environment: ["STUB_TOKEN": wrong])
        #expect(bad.exitCode == 2)
        #expect(
            bad.stderr.contains("\(stub.url)/v2/health/ready refused the readiness check with HTTP 401: check the credentials in the scorer's 'headers'"),
            "\(bad.stderr)")
        #expect(!bad.stderr.contains(wrong))
        gate.expectNothingRecorded()
    }
}
