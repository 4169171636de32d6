import Foundation

/// Open Inference Protocol v2 (MLServer, KServe, Triton): the rows go as one
/// `[batch, n_features]` tensor; the answer is read from the named output, or the first.
public struct OIPv2Codec: InferenceCodec {
    public let readinessURLs: [URL]
    let inferURL: URL
    let spec: HTTPScorerSpec
    let layout: ServedLayout
    let headers: [(name: String, value: String)]

    /// Tensor datatypes whose elements are numbers; `BOOL` and `BYTES` take the other kinds.
    private static let numericTypes: Set<String> = ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]
    private static let datatypes: Set<String> = numericTypes.union(["BOOL", "BYTES"])

    /// - Parameter environment: where `${VAR}` in the headers are read from, now.
    public init(spec: HTTPScorerSpec, dataset: DatasetSpec, features: FeatureColumns, environment: [String: String]) throws(TollgateError) {
        guard let model = spec.model, !model.isEmpty else {
            throw TollgateError(.config, at: spec.location, "protocol oip-v2 needs 'model:', the served model's name")
        }
        let datatype = spec.inputDatatype.uppercased()
        guard Self.datatypes.contains(datatype) else {
            throw TollgateError(
                .config, at: spec.location,
                "unknown tensor datatype '\(spec.inputDatatype)' for 'input'; expected one of: \(Self.datatypes.sorted().joined(separator: ", "))")
        }
        let expected: Set<SchemaColumn.Kind> =
            Self.numericTypes.contains(datatype) ? [.number, .integer] : datatype == "BOOL" ? [.boolean] : [.string, .number, .integer, .boolean]
        if let column = features.columns.first(where: { !expected.contains($0.kind) }) {
            throw TollgateError(
                .config, at: spec.location,
                "feature column '\(column.name)' holds \(column.kind.rawValue) values, which a \(datatype) tensor cannot carry; "
                    + "send only such columns (the version's schema.inputs, or dataset.exclude) or change 'input.datatype'")
        }
        var modelPath = "/v2/models/" + ServingEndpoint.segment(model)
        if let version = spec.modelVersion { modelPath += "/versions/" + ServingEndpoint.segment(version) }
        self.spec = spec
        self.layout = ServedLayout(dataset: dataset)
        inferURL = try ServingEndpoint.url(spec, modelPath + "/infer")
        readinessURLs = [try ServingEndpoint.url(spec, "/v2/health/ready"), try ServingEndpoint.url(spec, modelPath + "/ready")]
        headers = try ServingEndpoint.headers(spec, environment: environment)
    }

    /// `{"inputs":[{"name":…,"shape":[rows,n],"datatype":…,"data":[row-major]}]}`, and
    /// `"outputs":[{"name":…}]` when the spec names the output to read.
    public func request(for batch: FeatureBatch) -> HTTPRequest {
        var json = InferenceJSON(capacity: 64 + batch.rows.count * batch.columns.count * 8)
        json.raw("{\"inputs\":[{\"name\":")
        json.string(spec.inputName)
        json.raw(",\"shape\":[\(batch.rows.count),\(batch.columns.count)],\"datatype\":")
        json.string(spec.inputDatatype.uppercased())
        json.raw(",\"data\":")
        json.list(batch.rows.joined()) { $0.value($1) }
        json.raw("}]")
        if let output = spec.output {
            json.raw(",\"outputs\":[{\"name\":")
            json.string(output)
            json.raw("}]")
        }
        json.raw("}")
        return HTTPRequest(method: "POST", url: inferURL, headers: headers, body: Data(json.bytes), timeout: spec.timeout)
    }

    public func predictions(from response: HTTPResponse, rows: Int) throws(ScoreDecodeFailure) -> [[Double]] {
        let root = try ResponseJSON.parse(response.body)
        guard case .array(let outputs)? = root["outputs"] else {
            throw .decode("expected an Open Inference Protocol response with 'outputs', found \(ResponseJSON.excerpt(response.body))")
        }
        let names = outputs.compactMap { output -> String? in
            if case .string(let name)? = output["name"] { return name }
            return nil
        }
        let chosen: ResponseJSON
        if let wanted = spec.output {
            guard let index = names.firstIndex(of: wanted) else {
                throw .shape("no output named '\(wanted)'; the response has: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
            }
            chosen = outputs[index]
        } else {
            guard let first = outputs.first else { throw .shape("the response has no outputs") }
            chosen = first
        }
        let name = names.isEmpty ? "the output" : "output '\(spec.output ?? names[0])'"
        guard let shape = Self.shape(chosen["shape"]) else { throw .decode("\(name) has no 'shape' list of whole numbers") }
        guard let data = chosen["data"] else { throw .decode("\(name) has no 'data'") }
        var values: [Double] = []
        for element in data.flattened() {
            guard let value = element.number else { throw .shape("\(name): expected numbers in 'data', found \(element.kindName)") }
            values.append(value)
        }
        let total = shape.reduce(1, *)
        guard Double(values.count) == total else {
            throw .shape("\(name): 'shape' \(Self.describe(shape)) holds \(Int(total)) values but 'data' has \(values.count)")
        }
        guard let first = shape.first, Int(first) == rows else {
            throw .shape("\(name): expected \(rows) rows (one per row sent), found shape \(Self.describe(shape))")
        }
        switch shape.count {
        case 1: return try layout.predictions(.values(values), rows: rows)
        case 2: return try layout.predictions(.matrix(values, width: Int(shape[1])), rows: rows)
        default: throw .shape("\(name): expected a shape of [rows] or [rows, columns], found \(Self.describe(shape))")
        }
    }

    /// `shape` as whole numbers, or nil when it is not a list of them.
    private static func shape(_ node: ResponseJSON?) -> [Double]? {
        guard case .array(let dimensions)? = node else { return nil }
        let shape = dimensions.compactMap(\.number)
        return shape.count == dimensions.count && shape.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e12 }) ? shape : nil
    }

    private static func describe(_ shape: [Double]) -> String { "[" + shape.map { String(Int($0)) }.joined(separator: ", ") + "]" }
}
