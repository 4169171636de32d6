import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A scripted inference server on 127.0.0.1 speaking Open Inference Protocol v2
/// (`/v2/models/{m}/infer`) and `mlflow models serve`'s `/invocations`, for the latency and
/// fault tests: it answers after a fixed service time, freezes on cue, and misbehaves as told.
///
/// Every answer is scheduled on the event loop at an exact deadline instead of sleeping a
/// thread, so a freeze delays only answers, never the acceptance of new requests — as a
/// stop-the-world pause in a real server looks from outside.
public final class InferenceStub: Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: StubState

    private init(port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel, state: StubState) {
        self.port = port
        self.group = group
        self.channel = channel
        self.state = state
    }

    /// Runs `body` against a stub started with `behaviour`, and stops the stub however `body` ends.
    public static func serving<T>(
        _ behaviour: StubBehaviour = StubBehaviour(), threads: Int = 1, _ body: (InferenceStub) async throws -> T
    ) async throws -> T {
        let stub = try await start(behaviour, threads: threads)
        do {
            let result = try await body(stub)
            try await stub.stop()
            return result
        } catch {
            try? await stub.stop()
            throw error
        }
    }

    /// Starts a stub on a free port of 127.0.0.1.
    public static func start(_ behaviour: StubBehaviour = StubBehaviour(), threads: Int = 1) async throws -> InferenceStub {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let state = StubState(behaviour: behaviour, started: NIODeadline.now())
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(StubHandler(state: state))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else { throw StubError.noPort }
            return InferenceStub(port: port, group: group, channel: channel, state: state)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Inference requests received so far (readiness probes not counted).
    public var inferenceRequests: Int { state.inferenceCount }

    /// Requests of any kind received so far.
    public var requests: Int { state.requestCount }

    /// When the first inference request arrived, on NIO's monotonic clock (nanoseconds); the
    /// freeze starts `freeze.start` seconds after it.
    public var firstInference: UInt64? { state.firstInference }

    public func stop() async throws {
        try await channel.close().get()
        try await group.shutdownGracefully()
    }
}

enum StubError: Error { case noPort }

/// The counters every connection's handler shares.
final class StubState: Sendable {
    let behaviour: StubBehaviour
    let started: NIODeadline
    private let counters = Mutex<(count: Int, first: NIODeadline?)>((0, nil))
    private let allRequests = Mutex(0)

    init(behaviour: StubBehaviour, started: NIODeadline) {
        self.behaviour = behaviour
        self.started = started
    }

    var inferenceCount: Int { counters.withLock { $0.count } }
    var requestCount: Int { allRequests.withLock { $0 } }

    /// Counts a request of any kind; the scripted status it gets while `transient` lasts.
    func transientStatus() -> Int? {
        allRequests.withLock { count in
            count += 1
            return count <= behaviour.transient.count ? behaviour.transient[count - 1] : nil
        }
    }
    var firstInference: UInt64? { counters.withLock { $0.first?.uptimeNanoseconds } }

    /// Counts an inference request arriving now; returns its 1-based number and the freeze's
    /// window on the monotonic clock, fixed by the first request's arrival.
    func arrive(at now: NIODeadline) -> (number: Int, first: NIODeadline) {
        counters.withLock { value in
            value.count += 1
            if value.first == nil { value.first = now }
            return (value.count, value.first!)
        }
    }

    /// When an inference request that arrived at `now` is answered.
    func answerDeadline(arrivedAt now: NIODeadline, first: NIODeadline) -> NIODeadline {
        var ready = now
        if let freeze = behaviour.freeze {
            let start = first + .nanoseconds(Int64(freeze.start * 1e9))
            let end = start + .nanoseconds(Int64(freeze.duration * 1e9))
            if now >= start && now < end { ready = end }
        }
        return ready + .nanoseconds(Int64(behaviour.serviceTime * 1e9))
    }
}
