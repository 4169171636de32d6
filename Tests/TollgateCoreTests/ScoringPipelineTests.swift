import Foundation
import InferenceStub
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The scoring pipeline's bounds and retries, against the scripted stub server.
@Suite struct ScoringPipelineTests {
    static func codec(_ url: String) throws -> OIPv2Codec {
        var spec = HTTPScorerSpec(url: url, inferenceProtocol: .oipV2, location: SourceLocation(file: "v.yaml", line: 3, column: 5))
        spec.model = "m"
        spec.concurrency = 3
        return try OIPv2Codec(
            spec: spec,
            dataset: DatasetSpec(
                path: "d.csv", displayPath: "d.csv", idColumn: "id", labelColumn: "y", task: .binary, classes: ["0", "1"],
                location: SourceLocation(file: "g.yml")),
            features: FeatureColumns([.init(name: "x", kind: .number)]), environment: [:])
    }

    static func batch(_ first: Int, _ count: Int) -> FeatureBatch {
        FeatureBatch(columns: ["x"], ids: (first..<first + count).map { "r\($0)" }, rows: (first..<first + count).map { [.number(Double($0))] })
    }

    final class Written: @unchecked Sendable {
        var ids: [String] = []
        var scores: [Double] = []
    }

    @Test func answersAreWrittenInTheOrderTheBatchesWereSentWhateverOrderTheyArriveIn() async throws {
        let written = Written()
        let tally = try await InferenceStub.serving(StubBehaviour(serviceTime: 0.001), threads: 2) { stub in
            let codec = try Self.codec(stub.url)
            let pipeline = ScoringPipeline(client: HTTPClient(maxConnections: 3), codec: codec, spec: codec.spec, endpoint: "stub", redact: { $0 }) {
                batch, predictions in
                written.ids += batch.ids
                written.scores += predictions.map { $0[0] }
            }
            for start in stride(from: 0, to: 500, by: 7) { try pipeline.submit(Self.batch(start, min(7, 500 - start))) }
            return try pipeline.finish()
        }
        #expect(written.ids == (0..<500).map { "r\($0)" })
        #expect(written.scores == (0..<500).map { StubModel.probability(numbers: [Double($0)]) })
        #expect(tally.requests == 72)
        #expect(tally.retries == 0 && tally.errors.isEmpty)
    }

    @Test func aRefusedConnectionIsRetriedTwiceCountedAndThenStopsTheScoring() throws {
        // A port bound but not listening: every connection is refused before anything is sent,
        // the one failure a retry cannot turn into a duplicate request. Holding it bound keeps
        // another test's server from taking the port meanwhile.
        let reserved = try ReservedPort()
        defer { reserved.close() }
        let url = "http://127.0.0.1:\(reserved.port)"
        let codec = try Self.codec(url)
        let pipeline = ScoringPipeline(
            client: HTTPClient(), codec: codec, spec: codec.spec, endpoint: "\(url)/v2/models/m/infer", redact: { $0 }, sink: { _, _ in })
        try pipeline.submit(Self.batch(0, 4))
        let error = try #require(throws: TollgateError.self) { try pipeline.finish() }
        #expect(error.kind == .scoring)
        #expect(error.message.hasPrefix("could not reach \(url)/v2/models/m/infer for rows 'r0'…'r3' (4): "), "\(error.message)")
        #expect(error.message.hasSuffix(" (tried 3 times)"), "\(error.message)")
    }
}

/// A loopback TCP port bound but never listened on: connections to it are refused.
private struct ReservedPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard descriptor >= 0, bound else { throw SupportError(message: "cannot bind a loopback port: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
