import Foundation

/// Waits until a served model says it is ready, so a server still loading its model is not
/// mistaken for a broken one, and a server that never comes up is an error naming where it
/// was asked and what it last said.
enum ReadinessWait {
    /// Polls each URL in turn until all answer 200, or `timeout` seconds pass.
    static func wait(
        for urls: [URL], headers: [(name: String, value: String)], timeout: Double, client: HTTPClient, location: SourceLocation,
        redact: (String) -> String
    ) throws(TollgateError) {
        let deadline = Date().addingTimeInterval(timeout)
        var remaining = urls[...]
        var lastError = ""
        while let url = remaining.first {
            let left = deadline.timeIntervalSinceNow
            let shown = ServingEndpoint.display(url.absoluteString)
            let result = client.send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: max(1, min(left, 10))))
            switch result {
            case .success(let response) where response.status == 200:
                remaining = remaining.dropFirst()
                continue
            case .success(let response) where response.status == 401 || response.status == 403:
                throw TollgateError(
                    .scoring, at: location,
                    redact("\(shown) refused the readiness check with HTTP \(response.status): check the credentials in the scorer's 'headers'"))
            case .success(let response):
                lastError = "GET \(shown) answered HTTP \(response.status) \(ResponseJSON.excerpt(response.body))"
            case .failure(let failure):
                lastError = "GET \(shown): \(failure)"
            }
            guard deadline.timeIntervalSinceNow > 0 else {
                throw TollgateError(
                    .scoring, at: location,
                    redact("the model at \(shown) was not ready within \(Formatting.decimal(timeout)) s (the scorer's 'ready_timeout'); last: \(lastError)"))
            }
            Thread.sleep(forTimeInterval: min(0.25, max(0, deadline.timeIntervalSinceNow)))
        }
    }
}
