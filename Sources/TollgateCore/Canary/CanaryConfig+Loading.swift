import Foundation

extension CanaryConfig {
    static let topLevelKeys = ["model", "baseline", "canary", "mode", "source", "checks", "statistics"]
    static let statisticsKeys = ["alpha", "min_samples", "max_samples", "max_duration"]

    /// Reads and validates `canary.yml`; every problem names the file, line and column.
    public static func load(path: String) throws(TollgateError) -> CanaryConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot read the canary config: \(GateConfig.reason(error))")
        }
        let text = try UTF8Text.decode(data, file: path, kind: .config, what: "the canary config")
        return try parse(
            text, file: path, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent(),
            sha256: SHA256Digest.hex(of: data))
    }

    /// Parses config text; a relative `source.events` is resolved against `baseDirectory`.
    public static func parse(_ text: String, file: String, baseDirectory: URL, sha256: String = "") throws(TollgateError) -> CanaryConfig {
        let root = try YAMLNode.load(text, file: file)
        let fields = try root.fields(allowed: topLevelKeys)
        guard let modelNode = fields["model"] else { throw TollgateError(.config, at: root.location, "missing required key 'model'") }
        guard let checksNode = fields["checks"] else { throw TollgateError(.config, at: root.location, "missing required key 'checks'") }

        var mode = Mode.canary
        if let node = fields["mode"] {
            let word = try node.string()
            guard let parsed = Mode(rawValue: word) else { throw node.error("unknown mode '\(word)'; expected canary or shadow") }
            mode = parsed
        }
        var events: String?
        var prometheus: PrometheusSource?
        if let source = fields["source"] {
            let sourceFields = try source.fields(allowed: ["events", "prometheus"])
            if let node = sourceFields["events"] {
                let path = try node.string()
                events = path == "-" ? "-" : GateConfig.resolve(path, against: baseDirectory)
            }
            if let node = sourceFields["prometheus"] {
                if sourceFields["events"] != nil { throw node.error("a source is either 'events' or 'prometheus', not both") }
                prometheus = try parsePrometheus(node)
            }
        }
        var checks: [CanaryCheck] = []
        for item in try checksNode.list() {
            guard case .scalar = item.node else { throw item.error("expected a check sentence such as 'error_rate <= baseline + 0.005'") }
            checks.append(try CanaryCheck.parse(try item.string(), at: item.contentLocation, mode: mode))
        }
        guard !checks.isEmpty else { throw checksNode.error("expected at least one check") }
        guard checks.contains(where: { $0.check.severity == .block }) else {
            throw checksNode.error("every check is warn: a canary needs at least one blocking check to pass")
        }
        if mode == .canary, let paired = checks.first(where: { $0.metric == .disagreementRate }) {
            throw TollgateError(.check, at: paired.check.location, "disagreement_rate needs mode: shadow")
        }

        if let prometheus {
            if mode == .shadow {
                throw TollgateError(.config, at: prometheus.location, "mode: shadow pairs requests by id, which counters do not have; use events")
            }
            for check in checks {
                switch check.metric {
                case .errorRate: continue
                case .meanMs where prometheus.latencyBuckets != nil: continue
                case .meanMs:
                    throw TollgateError(.check, at: check.check.location, "mean_ms from Prometheus needs the latency histogram: add queries.latency_buckets")
                default:
                    throw TollgateError(
                        .check, at: check.check.location,
                        "'\(check.check.source)' needs per-request events; a Prometheus source answers error_rate and (with latency_buckets) mean_ms")
                }
            }
        }
        var statistics = Statistics()
        if let node = fields["statistics"] {
            let s = try node.fields(allowed: statisticsKeys)
            if let alpha = s["alpha"] {
                statistics.alpha = try alpha.double()
                guard statistics.alpha > 0, statistics.alpha < 1 else { throw alpha.error("alpha must lie between 0 and 1, e.g. 0.05") }
            }
            if let min = s["min_samples"] {
                statistics.minSamples = try min.int()
                guard statistics.minSamples >= 100 else {
                    throw min.error("min_samples must be at least 100: the test's plug-in variance needs a burn-in")
                }
            }
            if let max = s["max_samples"] {
                statistics.maxSamples = try max.int()
            }
            guard statistics.maxSamples > statistics.minSamples else {
                throw (s["max_samples"] ?? s["min_samples"] ?? node).error(
                    "max_samples (\(statistics.maxSamples)) must exceed min_samples (\(statistics.minSamples))")
            }
            if let duration = s["max_duration"] { statistics.maxDuration = try parseDuration(duration) }
        }
        return CanaryConfig(
            model: try modelNode.string(), baseline: try fields["baseline"]?.string(), canary: try fields["canary"]?.string(),
            mode: mode, events: events, prometheus: prometheus, checks: checks, statistics: statistics, sha256: sha256)
    }

    /// `90s`, `30m`, `2h`, or plain seconds.
    static func parseDuration(_ node: YAMLNode) throws(TollgateError) -> Double {
        let text = try node.string()
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            number = text.dropLast()
            scale = unit
        }
        guard let value = Double(number), value.isFinite, value > 0 else {
            throw node.error("expected a duration such as 30m, 2h or 90s, found '\(text)'")
        }
        return value * scale
    }

    /// `source.prometheus: {url, queries: {requests, errors, latency_buckets}, latency_unit, timeout}`.
    static func parsePrometheus(_ node: YAMLNode) throws(TollgateError) -> PrometheusSource {
        let fields = try node.fields(allowed: ["url", "queries", "latency_unit", "timeout"])
        guard let urlNode = fields["url"] else { throw node.error("missing required key 'url' (the Prometheus server, e.g. http://127.0.0.1:9090)") }
        let url = try urlNode.string()
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw urlNode.error("expected an http(s) URL such as http://127.0.0.1:9090, found '\(url)'")
        }
        guard let queriesNode = fields["queries"] else { throw node.error("missing required key 'queries' (requests and errors, PromQL with {{arm}})") }
        let queries = try queriesNode.fields(allowed: ["requests", "errors", "latency_buckets"])
        func promQL(_ key: String) throws(TollgateError) -> String? {
            guard let query = queries[key] else { return nil }
            let text = try query.string()
            guard text.contains("{{arm}}") else {
                throw query.error(
                    "the \(key) query must select one arm with {{arm}} (replaced by baseline or canary), e.g. sum(http_requests_total{arm=\"{{arm}}\"})")
            }
            return text
        }
        guard let requests = try promQL("requests") else { throw queriesNode.error("missing required key 'requests'") }
        guard let errors = try promQL("errors") else { throw queriesNode.error("missing required key 'errors'") }
        var source = PrometheusSource(url: url, requests: requests, errors: errors, latencyBuckets: try promQL("latency_buckets"), location: node.location)
        if let unit = fields["latency_unit"] {
            switch try unit.string() {
            case "seconds", "s": source.latencyScale = 1000
            case "milliseconds", "ms": source.latencyScale = 1
            case let other: throw unit.error("unknown latency_unit '\(other)'; expected seconds (Prometheus's convention) or milliseconds")
            }
        }
        if let timeout = fields["timeout"] { source.timeout = try parseDuration(timeout) }
        return source
    }
}
