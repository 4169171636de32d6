extension LoadSpec {
    static let keys = ["rate", "duration", "warmup", "arrival", "batch_size", "max_in_flight"]

    /// Reads `load:`; every value is checked where it is written.
    static func parse(_ node: YAMLNode) throws(TollgateError) -> LoadSpec {
        let fields = try node.fields(allowed: keys)
        func required(_ key: String) throws(TollgateError) -> YAMLNode {
            guard let value = fields[key] else { throw node.error("missing required key 'load.\(key)' (e.g. rate: 50, duration: 20s)") }
            return value
        }
        let rateNode = try required("rate")
        let rate = try rateNode.double()
        guard rate.isFinite, rate > 0, rate <= 1_000_000 else { throw rateNode.error("expected a rate in requests per second above 0, found \(rate)") }
        var spec = LoadSpec(rate: rate, duration: try duration(try required("duration"), key: "duration"), location: node.location)
        if let warmup = fields["warmup"] { spec.warmup = try duration(warmup, key: "warmup", allowZero: true) }
        if let arrival = fields["arrival"] {
            let text = try arrival.string()
            guard let value = Arrival(rawValue: text) else {
                throw arrival.error(
                    "unknown arrival '\(text)'\(NameSuggestion.hint(for: text, in: Arrival.allCases.map(\.rawValue))); expected constant or poisson")
            }
            spec.arrival = value
        }
        if let batch = fields["batch_size"] {
            spec.batchSize = try batch.int()
            guard (1...100_000).contains(spec.batchSize) else { throw batch.error("expected between 1 and 100,000 rows per request, found \(spec.batchSize)") }
        }
        if let bound = fields["max_in_flight"] {
            spec.maxInFlight = try bound.int()
            guard (1...10_000).contains(spec.maxInFlight) else {
                throw bound.error("expected between 1 and 10,000 requests in flight, found \(spec.maxInFlight)")
            }
        }
        let requests = spec.rate * (spec.duration + spec.warmup)
        guard requests <= 10_000_000 else {
            throw node.error("the load would send \(Int(requests)) requests; at most 10,000,000 (lower rate or duration)")
        }
        return spec
    }

    /// `20s`, `500ms`, `2m`, or plain seconds.
    static func duration(_ node: YAMLNode, key: String, allowZero: Bool = false) throws(TollgateError) -> Double {
        let text = try node.string()
        var number = Substring(text)
        var scale = 1.0
        for (suffix, unit) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = unit
            break
        }
        guard let value = Double(number), value.isFinite, allowZero ? value >= 0 : value > 0, value * scale <= 86_400 else {
            throw node.error("expected a duration such as 20s, 500ms or 2m for load.\(key), found '\(text)'")
        }
        return value * scale
    }
}
