import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The load's connection pool outlives nobody: it may be let go from any thread, its own event
/// loop included, without taking the process down.
@Suite struct LoadConnectionsTests {
    /// Every reference but the loop's own closures is dropped before the answers come back, so
    /// the pool is freed on its event loop. Shutting the loop's group down synchronously there is
    /// a trap in SwiftNIO; the pool must shut it down without waiting.
    @Test func thePoolCanBeFreedOnItsOwnEventLoop() async throws {
        let refused = try #require(URL(string: "http://127.0.0.1:\(LoopbackPort.free())/v2/health/ready"))
        for _ in 0..<20 {
            let outcome: Result<HTTPResponse, HTTPFailure> = await withCheckedContinuation { continuation in
                LoadConnections().start(HTTPRequest(url: refused, timeout: 2)) { _, result in continuation.resume(returning: result) }
            }
            guard case .failure(.transport(_, let beforeSend)) = outcome else {
                Issue.record("a refused connection is a transport failure, not \(outcome)")
                return
            }
            #expect(beforeSend)
        }
        // Give the last pool's deinit, which follows its completion on the loop, time to run.
        try await _Concurrency.Task.sleep(for: .milliseconds(200))
    }
}
