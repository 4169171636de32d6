import Foundation

/// Waits for a served model to say it is ready before any request is timed.
enum Readiness {
    /// Polls `urls` in turn until each answers 200, for at most `timeout` seconds; the error
    /// names the URL and the last answer or failure.
    static func wait(for urls: [URL], client: HTTPClient, timeout: Double, at location: SourceLocation) throws(TollgateError) {
        let deadline = Clock.now() + timeout
        for url in urls {
            while true {
                let last: String
                switch client.send(HTTPRequest(url: url, timeout: max(1, min(5, deadline - Clock.now())))) {
                case .success(let response) where response.status == 200: last = ""
                case .success(let response): last = "HTTP \(response.status)"
                case .failure(let failure): last = failure.description
                }
                if last.isEmpty { break }
                if Clock.now() >= deadline {
                    throw TollgateError(.registry, at: location, "\(url.absoluteString) was not ready within \(Formatting.duration(timeout)): last \(last)")
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }
}
