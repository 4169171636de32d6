/// Why a request of the load did not yield predictions. During a load these are data for
/// `error_rate`, counted by class, never a reason to stop the run.
public enum LoadErrorClass: String, Sendable, Equatable, CaseIterable, Comparable {
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    case timeout
    case transport
    case decode
    case shape

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One version under load: sends its n-th request and reports how it ended.
public protocol LoadTarget: Sendable {
    /// Sends request `request` (which rows is the target's business) and calls `completion`
    /// exactly once, from any thread, with the monotonic time (`Clock.now()`) the answer
    /// arrived — read before the answer is decoded, so decoding is not counted as the server's
    /// time — and nil on success or the error's class.
    func send(_ request: Int, completion: @escaping @Sendable (_ completedAt: Double, _ error: LoadErrorClass?) -> Void)
}
