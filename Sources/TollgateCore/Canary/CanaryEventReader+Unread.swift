extension CanaryEventReader {
    /// The events no earlier look has counted: each file of `source` is read from where the
    /// state's last look stopped, and the state moves on to where this read ended.
    ///
    /// - Parameter resumable: a later look will continue from the state, so a last line without
    ///   its newline may still be being written and waits for that look; without a saved state
    ///   there is no later look and such a line is read as complete.
    public static func unread(from source: String, state: inout CanaryState, resumable: Bool) throws(TollgateError) -> [CanaryEvent] {
        var events: [CanaryEvent] = []
        try forEachUnread(from: source, state: &state, resumable: resumable, fields: .all) { event, _ in events.append(event) }
        return events
    }

    /// Hands each unread event of `source` to `body` with the state, streaming, and moves the
    /// state's positions on.
    static func forEachUnread(
        from source: String, state: inout CanaryState, resumable: Bool, fields: CanaryFieldSelection,
        _ body: (CanaryEvent, inout CanaryState) throws(TollgateError) -> Void
    ) throws(TollgateError) {
        for file in try files(of: source) {
            let end = try forEachEvent(in: file, from: state.positions[file] ?? .init(), finalLineComplete: !resumable, fields: fields) {
                (event) throws(TollgateError) in try body(event, &state)
            }
            state.positions[file] = end
        }
    }
}

/// How many events of each arm one look read.
public struct CanaryEventCounts: Sendable, Equatable {
    public var baseline = 0
    public var canary = 0
    public var total: Int { baseline + canary }

    public init(baseline: Int = 0, canary: Int = 0) { (self.baseline, self.canary) = (baseline, canary) }

    public init(_ events: [CanaryEvent]) {
        for event in events { count(event) }
    }

    mutating func count(_ event: CanaryEvent) {
        switch event.arm {
        case .baseline: baseline += 1
        case .canary: canary += 1
        }
    }
}

extension CanaryAnalysis {
    /// Adds every event of `source` that no earlier look counted, one at a time as it is read:
    /// memory stays flat however long the log. Each event keeps only the fields the checks read.
    public static func addUnread(from source: String, config: CanaryConfig, state: inout CanaryState, resumable: Bool) throws(TollgateError)
        -> CanaryEventCounts
    {
        var counts = CanaryEventCounts()
        try CanaryEventReader.forEachUnread(from: source, state: &state, resumable: resumable, fields: config.fieldsRead) {
            (event, state) throws(TollgateError) in
            try add(event, config: config, state: &state)
            counts.count(event)
        }
        return counts
    }
}

extension CanaryAnalysis {
    /// Adds the requests Prometheus counted since the last look, one at a time as they are made.
    public static func addCounted(from source: PrometheusSource, config: CanaryConfig, state: inout CanaryState) throws(TollgateError)
        -> CanaryEventCounts
    {
        var counts = CanaryEventCounts()
        try source.forEachEvent(state: &state) { (event, state) throws(TollgateError) in
            try add(event, config: config, state: &state)
            counts.count(event)
        }
        return counts
    }
}

extension CanaryConfig {
    /// The event fields the checks read by name (`mean(FIELD)`, `rate(FIELD)`).
    public var fieldsRead: CanaryFieldSelection {
        .named(
            checks.compactMap {
                switch $0.metric {
                case .mean(let field), .rate(let field): field
                default: nil
                }
            })
    }
}
