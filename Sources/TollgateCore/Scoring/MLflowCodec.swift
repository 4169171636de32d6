import Foundation

/// `mlflow models serve`: the rows go as a pandas `dataframe_split`; the answer is
/// `{"predictions": [...]}` of numbers, lists (a probability matrix) or objects (a data
/// frame's records, keyed by class or column name).
public struct MLflowCodec: InferenceCodec {
    public let readinessURLs: [URL]
    let invocationsURL: URL
    let spec: HTTPScorerSpec
    let layout: ServedLayout
    let headers: [(name: String, value: String)]

    /// - Parameter environment: where `${VAR}` in the headers are read from, now.
    public init(spec: HTTPScorerSpec, dataset: DatasetSpec, environment: [String: String]) throws(TollgateError) {
        self.spec = spec
        layout = ServedLayout(dataset: dataset)
        invocationsURL = try ServingEndpoint.url(spec, "/invocations")
        readinessURLs = [try ServingEndpoint.url(spec, "/ping")]
        headers = try ServingEndpoint.headers(spec, environment: environment)
    }

    /// `{"dataframe_split":{"columns":[…],"data":[[…],…]}}`, each cell typed as its column.
    public func request(for batch: FeatureBatch) -> HTTPRequest {
        var json = InferenceJSON(capacity: 64 + batch.rows.count * batch.columns.count * 8)
        json.raw("{\"dataframe_split\":{\"columns\":")
        json.list(batch.columns) { $0.string($1) }
        json.raw(",\"data\":")
        json.list(batch.rows) { json, row in json.list(row) { $0.value($1) } }
        json.raw("}}")
        return HTTPRequest(method: "POST", url: invocationsURL, headers: headers, body: Data(json.bytes), timeout: spec.timeout)
    }

    public func predictions(from response: HTTPResponse, rows: Int) throws(ScoreDecodeFailure) -> [[Double]] {
        let root = try ResponseJSON.parse(response.body)
        // MLflow 2 and later wrap the list; older servers answered with the bare list.
        let answer = root["predictions"] ?? root
        guard case .array(let items) = answer else {
            throw .decode("expected {\"predictions\": [...]}, found \(ResponseJSON.excerpt(response.body))")
        }
        guard let first = items.first else { return try layout.predictions(.values([]), rows: rows) }
        switch first {
        case .number:
            var values: [Double] = []
            for item in items {
                guard let value = item.number else { throw .shape("expected a number for every row, found \(item.kindName)") }
                values.append(value)
            }
            return try layout.predictions(.values(values), rows: rows)
        case .array(let firstRow):
            var data: [Double] = []
            data.reserveCapacity(items.count * firstRow.count)
            for (row, item) in items.enumerated() {
                guard case .array(let cells) = item else { throw .shape("row \(row + 1): expected a list like the first row's, found \(item.kindName)") }
                guard cells.count == firstRow.count else {
                    throw .shape("row \(row + 1): expected \(firstRow.count) values like the first row, found \(cells.count)")
                }
                for cell in cells {
                    guard let value = cell.number else { throw .shape("row \(row + 1): expected numbers, found \(cell.kindName)") }
                    data.append(value)
                }
            }
            guard items.count == rows else { throw .shape("expected \(rows) predictions (one per row sent), found \(items.count)") }
            return try layout.predictions(.matrix(data, width: firstRow.count), rows: rows)
        case .object:
            var objects: [[String: Double]] = []
            for (row, item) in items.enumerated() {
                guard case .object(let fields) = item else { throw .shape("row \(row + 1): expected an object like the first row's, found \(item.kindName)") }
                var values: [String: Double] = [:]
                for (key, value) in fields {
                    guard let number = value.number else { throw .shape("row \(row + 1): expected a number for '\(key)', found \(value.kindName)") }
                    values[key] = number
                }
                objects.append(values)
            }
            return try layout.predictions(.keyed(objects), rows: rows)
        default:
            throw .shape("expected numbers, lists or objects in 'predictions', found \(first.kindName)")
        }
    }
}
