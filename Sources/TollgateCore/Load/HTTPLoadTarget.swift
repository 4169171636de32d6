import Foundation

/// A version behind an inference server, as the load calls it: its requests are encoded once,
/// before the first send, so the send loop only hands bytes to the client.
struct HTTPLoadTarget: LoadTarget {
    private let connections: LoadConnections
    private let codec: any InferenceCodec
    private let requests: [(request: HTTPRequest, rows: Int)]

    /// - Parameter batches: the rows to send, cycled through: request n sends `batches[n % count]`.
    init(connections: LoadConnections, codec: any InferenceCodec, batches: [FeatureBatch]) {
        self.connections = connections
        self.codec = codec
        requests = batches.map { (codec.request(for: $0), $0.ids.count) }
    }

    func send(_ request: Int, completion: @escaping @Sendable (_ completedAt: Double, _ error: LoadErrorClass?) -> Void) {
        let (http, rows) = requests[request % requests.count]
        let codec = codec
        connections.start(http) { arrived, result in
            switch result {
            case .failure(.timeout): completion(arrived, .timeout)
            case .failure(.transport): completion(arrived, .transport)
            case .success(let response): completion(arrived, Self.classify(response, rows: rows, codec: codec))
            }
        }
    }

    /// A 4xx or 5xx by its class; any other status but 2xx cannot be read (decode); a 2xx must
    /// decode to `rows` predictions of the expected layout.
    static func classify(_ response: HTTPResponse, rows: Int, codec: any InferenceCodec) -> LoadErrorClass? {
        switch response.status {
        case 400..<500: return .http4xx
        case 500...: return .http5xx
        case 200..<300:
            do {
                _ = try codec.predictions(from: response, rows: rows)
                return nil
            } catch {
                switch error {
                case .decode: return .decode
                case .shape: return .shape
                }
            }
        default: return .decode
        }
    }
}
