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
    /// exactly once, from any thread, with nil on success. The caller reads the clock for the
    /// completion time before it does anything else.
    func send(_ request: Int, completion: @escaping @Sendable (LoadErrorClass?) -> Void)
}
