/// The one-line messages of a live scorer that could not score, and the class each error is
/// counted under in the report (the load generator's classes: http_4xx, http_5xx, timeout,
/// transport, decode, shape).
enum ScoringFault {
    static func errorClass(_ failure: HTTPFailure) -> String {
        switch failure {
        case .timeout: "timeout"
        case .transport: "transport"
        }
    }

    static func errorClass(status: Int) -> String { status >= 500 ? "http_5xx" : "http_4xx" }

    static func errorClass(_ failure: ScoreDecodeFailure) -> String {
        switch failure {
        case .decode: "decode"
        case .shape: "shape"
        }
    }

    /// `rows a1…a64` of a batch, for messages that say which request went wrong.
    static func rows(_ batch: FeatureBatch) -> String {
        guard let first = batch.ids.first, let last = batch.ids.last else { return "no rows" }
        return first == last ? "row '\(first)'" : "rows '\(first)'…'\(last)' (\(batch.ids.count))"
    }

    static func message(_ failure: HTTPFailure, endpoint: String, timeout: Double, batch: FeatureBatch) -> String {
        switch failure {
        case .timeout:
            "no answer from \(endpoint) within \(Formatting.decimal(timeout)) s (the scorer's 'timeout') for \(rows(batch))"
        case .transport(let message, _):
            "could not reach \(endpoint) for \(rows(batch)): \(message)"
        }
    }

    static func message(status: Int, body: String, endpoint: String, batch: FeatureBatch) -> String {
        switch status {
        case 401, 403:
            "\(endpoint) refused the request with HTTP \(status) (\(status == 401 ? "unauthorized" : "forbidden")): check the credentials in the scorer's 'headers'"
        default:
            "\(endpoint) answered HTTP \(status) for \(rows(batch)): \(body)"
        }
    }

    static func message(_ failure: ScoreDecodeFailure, endpoint: String, batch: FeatureBatch) -> String {
        switch failure {
        case .decode(let detail): "could not read the answer of \(endpoint) for \(rows(batch)): \(detail)"
        case .shape(let detail): "the answer of \(endpoint) for \(rows(batch)) is not one valid prediction per row: \(detail)"
        }
    }
}
