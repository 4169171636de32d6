import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The load's HTTP/1.1 client: keep-alive connections on one NIO event loop, one request at a
/// time on each, as many connections as requests in flight.
///
/// The load times each answer the moment its last byte is parsed, on the event loop, and hands
/// requests over without taking a lock the answers also need. URLSession (`HTTPClient`), which
/// the scorers use, delivers completions one by one on a serial queue: when a stalled server
/// releases fifty answers at once the last of them would be timed tens of milliseconds late,
/// and a send could wait behind them.
final class LoadConnections: Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop
    /// Idle connections by `host:port`; touched only on `loop`.
    private let idle = IdleConnections()

    init() { loop = group.next() }

    /// Not `syncShutdownGracefully`: the last reference may go with a closure the event loop
    /// has just run, and shutting a group down synchronously from its own loop traps.
    deinit { group.shutdownGracefully(queue: .global()) { _ in } }

    /// Sends `request`; `completion` runs once on the event loop with the time its answer
    /// arrived (`Clock.now()`) and the answer or the failure.
    func start(_ request: HTTPRequest, completion: @escaping @Sendable (Double, Result<HTTPResponse, HTTPFailure>) -> Void) {
        loop.execute { [self] in
            let host = request.url.host ?? "127.0.0.1"
            let port = request.url.port ?? 80
            let key = "\(host):\(port)"
            let exchange = Exchange(request: request, completion: completion)
            if let channel = idle.take(key) {
                send(exchange, on: channel, key: key)
                return
            }
            ClientBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.milliseconds(Int64(request.timeout * 1000)))
                .channelInitializer { channel in
                    channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(ExchangeHandler()) }
                }
                .connect(host: host, port: port)
                .whenComplete { [self] result in
                    switch result {
                    case .success(let channel): send(exchange, on: channel, key: key)
                    case .failure(let error): completion(Clock.now(), .failure(.transport("\(error)", beforeSend: true)))
                    }
                }
        }
    }

    /// On the loop: writes the request and, once answered, returns the connection to the pool.
    private func send(_ exchange: Exchange, on channel: any Channel, key: String) {
        // A connection the peer closed at once has already lost its handlers: a broken exchange.
        guard let handler = try? channel.pipeline.syncOperations.handler(type: ExchangeHandler.self) else {
            channel.close(promise: nil)
            exchange.completion(Clock.now(), .failure(.transport("the connection closed before the request was sent", beforeSend: true)))
            return
        }
        let idle = idle
        handler.begin(exchange, on: channel) { reusable in
            if reusable { idle.put(channel, key) } else { channel.close(promise: nil) }
        }
    }
}

/// One request and who waits for its answer.
struct Exchange {
    let request: HTTPRequest
    let completion: @Sendable (Double, Result<HTTPResponse, HTTPFailure>) -> Void
}

/// Idle keep-alive connections, used only on the event loop (so unlocked).
final class IdleConnections: @unchecked Sendable {
    private var channels: [String: [any Channel]] = [:]

    func take(_ key: String) -> (any Channel)? {
        while let channel = channels[key]?.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }

    func put(_ channel: any Channel, _ key: String) { channels[key, default: []].append(channel) }
}

/// Writes one request at a time on its connection and gathers the answer.
final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var exchange: Exchange?
    private var done: ((Bool) -> Void)?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var timeout: Scheduled<Void>?

    func begin(_ exchange: Exchange, on channel: any Channel, done: @escaping (Bool) -> Void) {
        self.exchange = exchange
        self.done = done
        head = nil
        body.clear()
        let request = exchange.request
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.url.host ?? "127.0.0.1")
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        let bytes = request.body ?? Data()
        headers.add(name: "Content-Length", value: String(bytes.count))
        var path = request.url.path.isEmpty ? "/" : request.url.path
        if let query = request.url.query { path += "?" + query }
        let method = HTTPMethod(rawValue: request.method)
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)), promise: nil)
        if !bytes.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: bytes))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(request.timeout * 1000))) { [weak self] in
            self?.finish(.failure(.timeout), reusable: false)
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body(var chunk): body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name] = value }
            let response = HTTPResponse(status: Int(head.status.code), headers: headers, body: Data(body.readableBytesView))
            finish(.success(response), reusable: head.isKeepAlive)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(.transport("the server closed the connection", beforeSend: false)), reusable: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(.transport("\(error)", beforeSend: false)), reusable: false)
        context.close(promise: nil)
    }

    private func finish(_ result: Result<HTTPResponse, HTTPFailure>, reusable: Bool) {
        let arrived = Clock.now()
        guard let exchange else { return }
        self.exchange = nil
        timeout?.cancel()
        timeout = nil
        let done = self.done
        self.done = nil
        exchange.completion(arrived, result)
        done?(reusable)
    }
}
