import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TollgateCore

/// The HTTP side of `tollgate serve`: swift-nio's HTTP/1.1 pipeline and one handler that asks
/// `CanaryHTTPContract` for every answer. One event-loop thread: looks are serialised by the
/// monitor anyway, and controllers call once a minute.
struct VerdictServer {
    let monitor: CanaryMonitor

    /// Binds and returns the channel; `port` 0 picks a free port (read it from the channel).
    func bind(host: String, port: Int, group: MultiThreadedEventLoopGroup) throws(TollgateError) -> any Channel {
        let monitor = self.monitor
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(VerdictHandler(monitor: monitor))
                }
            }
        do {
            return try bootstrap.bind(host: host, port: port).wait()
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: "--port"), "cannot listen on \(host):\(port): \(error)")
        }
    }
}

/// One connection: collects a request, answers it with the contract's reply.
final class VerdictHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Flagger posts a small JSON document; anything larger is not a webhook.
    static let maximumBody = 1 << 20

    private let monitor: CanaryMonitor
    private var head: HTTPRequestHead?
    private var bodyBytes = 0

    init(monitor: CanaryMonitor) { self.monitor = monitor }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            bodyBytes = 0
        case .body(let part):
            bodyBytes += part.readableBytes
        case .end:
            guard let head else { return }
            self.head = nil
            let reply: CanaryHTTPContract.Reply
            if bodyBytes > Self.maximumBody {
                reply = CanaryHTTPContract.Reply(status: 413, body: Array(#"{"error":"request body over 1 MiB"}"#.utf8) + [10])
            } else {
                let monitor = self.monitor
                reply = CanaryHTTPContract.reply(method: head.method.rawValue, uri: head.uri, analysis: monitor.config.model) {
                    () throws(TollgateError) -> CanaryVerdict in try monitor.look()
                }
            }
            write(reply, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func write(_ reply: CanaryHTTPContract.Reply, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(reply.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        // The channel, not the context, crosses into the callback: a channel is Sendable.
        let channel = context.channel
        if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    }
}
