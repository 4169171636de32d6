import Foundation
import NIOCore
import NIOHTTP1

/// One connection: collects each request, then answers it at the deadline `StubState` gives.
final class StubHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: StubState
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(state: StubState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, body: Data(body.readableBytesView), context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, body: Data, context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let behaviour = state.behaviour
        if let status = state.transientStatus() {
            return write(StubReply(status: status, json: #"{"error": "scripted back-off"}"#), keepAlive: head.isKeepAlive, context: context)
        }
        if let token = behaviour.bearerToken, head.headers.first(name: "Authorization") != "Bearer \(token)" {
            return write(StubReply(status: 401, json: #"{"error": "unauthorized"}"#), keepAlive: head.isKeepAlive, context: context)
        }
        if head.method == .GET {
            let ready = now >= state.started + .nanoseconds(Int64(behaviour.readyAfter * 1e9))
            let known =
                path == "/v2/health/ready" || path == "/v2/health/live" || path == "/ping" || path == "/health"
                || (path.hasPrefix("/v2/models/") && path.hasSuffix("/ready"))
            let reply = known ? StubReply(status: ready ? 200 : 503, json: ready ? "{}" : #"{"error": "loading"}"#) : StubReply(status: 404, json: "{}")
            return write(reply, keepAlive: head.isKeepAlive, context: context)
        }
        guard head.method == .POST, path == "/invocations" || (path.hasPrefix("/v2/models/") && path.hasSuffix("/infer")) else {
            return write(StubReply(status: 404, json: #"{"error": "not found"}"#), keepAlive: head.isKeepAlive, context: context)
        }
        let (number, first) = state.arrive(at: now)
        if behaviour.response == .hang { return }
        var reply = StubReply.inference(path: path, body: body, response: behaviour.response)
        if let every = behaviour.errorEvery, every > 0, number % every == 0 { reply = StubReply(status: 500, json: #"{"error": "scripted"}"#) }
        let keepAlive = head.isKeepAlive
        let deadline = state.answerDeadline(arrivedAt: now, first: first)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.write(reply, keepAlive: keepAlive, context: context)
        }
    }

    private func write(_ reply: StubReply, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [context] _ in context.close(promise: nil) } }
    }
}
