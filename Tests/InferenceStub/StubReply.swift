import Foundation

/// An answer's status and body, built from the request as the behaviour says.
struct StubReply: Sendable {
    var status: Int
    var body: String
    var contentType = "application/json"

    init(status: Int, json: String) {
        self.status = status
        self.body = json
    }

    /// The answer to an inference request: probabilities from `StubModel`, shaped for the protocol
    /// the path names, then spoiled as `response` asks.
    static func inference(path: String, body: Data, response: StubBehaviour.Response) -> StubReply {
        switch response {
        case .status(let code): return StubReply(status: code, json: #"{"error": "scripted status"}"#)
        case .notJSON:
            var reply = StubReply(status: 200, json: "<html><body>Bad gateway</body></html>")
            reply.contentType = "text/html"
            return reply
        default: break
        }
        guard let rows = featureRows(path: path, body: body) else {
            return StubReply(status: 400, json: #"{"error": "unreadable request"}"#)
        }
        var probabilities = rows.map(StubModel.probability)
        var width = 2
        switch response {
        case .wrongLength: probabilities = Array(probabilities.dropLast())
        case .wrongWidth: width = 3
        case .nan: if !probabilities.isEmpty { probabilities[0] = .nan }
        case .outOfRange: if !probabilities.isEmpty { probabilities[0] = 1.5 }
        default: break
        }
        let matrix = probabilities.map { p -> [String] in
            let row = [number(1 - p), number(p)]
            return width == 3 ? row + ["0"] : row
        }
        if path == "/invocations" {
            return StubReply(status: 200, json: #"{"predictions": ["# + matrix.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]}")
        }
        let model = path.split(separator: "/").dropFirst(2).first.map(String.init) ?? "model"
        let data = matrix.flatMap { $0 }.joined(separator: ", ")
        return StubReply(
            status: 200,
            json:
                #"{"model_name": "\#(model)", "outputs": [{"name": "predict_proba", "shape": [\#(matrix.count), \#(width)], "datatype": "FP64", "data": [\#(data)]}]}"#
        )
    }

    /// Python's json module writes NaN bare; so does a server built on it.
    private static func number(_ value: Double) -> String { value.isNaN ? "NaN" : "\(value)" }

    /// The rows of features, from an OIP v2 tensor (`[batch, n]`, flat data) or an MLflow `dataframe_split`.
    private static func featureRows(path: String, body: Data) -> [[Any]]? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        if path == "/invocations" {
            guard let split = object["dataframe_split"] as? [String: Any], let data = split["data"] as? [[Any]] else { return nil }
            return data
        }
        guard let inputs = object["inputs"] as? [[String: Any]], let tensor = inputs.first,
            let shape = tensor["shape"] as? [Int], shape.count == 2, let nested = tensor["data"] as? [Any]
        else { return nil }
        // OIP v2 allows the data flat (row-major) or nested as the shape.
        let data = nested.flatMap { ($0 as? [Any]) ?? [$0] }
        guard data.count == shape[0] * shape[1] else { return nil }
        let width = shape[1]
        return (0..<shape[0]).map { Array(data[($0 * width)..<(($0 + 1) * width)]) }
    }
}
