/// What the stub inference server does on cue: the faults and timings no real server can be
/// made to produce at a known moment (a freeze, a wrong shape, a NaN, a status code).
public struct StubBehaviour: Sendable {
    /// How the body of an inference response is built.
    public enum Response: Sendable, Equatable {
        /// Well-formed predictions, one per row (see `StubModel`).
        case ok
        /// One prediction fewer than the rows sent.
        case wrongLength
        /// Three columns where the classes are two.
        case wrongWidth
        /// The first row's probability is NaN (JSON `NaN`, as Python's json module writes it).
        case nan
        /// The first row's probability is 1.5.
        case outOfRange
        /// This status with a JSON error body, for every inference request.
        case status(Int)
        /// A 200 whose body is an HTML page.
        case notJSON
        /// Never answers (the connection stays open).
        case hang
    }

    /// A pause of every answer, as a stop-the-world collector makes: requests that arrive during
    /// `[start, start + duration)` are answered at its end (plus the service time).
    public struct Freeze: Sendable, Equatable {
        /// Seconds after the first inference request arrives.
        public var start: Double
        public var duration: Double

        public init(start: Double, duration: Double) {
            self.start = start
            self.duration = duration
        }
    }

    /// Seconds between a request's arrival and its answer.
    public var serviceTime: Double = 0.002
    public var freeze: Freeze? = nil
    /// Every n-th inference request (1-based, counted across the server) answers 500.
    public var errorEvery: Int? = nil
    public var response: Response = .ok
    /// Readiness endpoints answer 503 for this many seconds after start.
    public var readyAfter: Double = 0
    /// When set, requests without `Authorization: Bearer <token>` get 401.
    public var bearerToken: String? = nil
    /// The first requests, whatever their path, answer these statuses in turn (a registry
    /// asking its client to back off: 429, 503); the ones after are answered as usual.
    public var transient: [Int] = []

    public init(
        serviceTime: Double = 0.002, freeze: Freeze? = nil, errorEvery: Int? = nil, response: Response = .ok,
        readyAfter: Double = 0, bearerToken: String? = nil, transient: [Int] = []
    ) {
        self.serviceTime = serviceTime
        self.freeze = freeze
        self.errorEvery = errorEvery
        self.response = response
        self.readyAfter = readyAfter
        self.bearerToken = bearerToken
        self.transient = transient
    }
}
