extension ScorerSpec {
    static let kinds = ["predictions", "http", "command"]
    static let httpKeys = [
        "url", "protocol", "model", "model_version", "input", "output", "batch_size", "concurrency", "timeout", "ready_timeout", "headers"
    ]
    /// Keys that only mean something to an Open Inference Protocol server.
    static let oipOnlyKeys = ["model", "model_version", "input", "output"]

    /// `scorer:` of a `version.yaml`: exactly one of `predictions: FILE`, `http: {...}` or
    /// `command: [...]` (with its `timeout`). Relative paths are the version folder's.
    static func parse(_ node: YAMLNode, directory: String) throws(TollgateError) -> ScorerSpec {
        let fields = try node.fields(allowed: kinds + ["timeout"])
        let named = kinds.filter { fields[$0] != nil }
        guard named.count == 1, let kind = named.first else {
            let found = named.isEmpty ? "none" : named.joined(separator: " and ")
            throw node.error(
                "expected exactly one scorer: 'predictions: FILE', 'http: {url: ..., protocol: ...}' or 'command: [program, args...]'; found \(found)")
        }
        if let timeout = fields["timeout"], kind != "command" {
            throw timeout.error("'timeout' here is the command scorer's; an http scorer takes 'timeout' inside 'http:'")
        }
        let value = fields[kind]!
        switch kind {
        case "predictions":
            return .predictions(path: DirectoryRegistry.resolve(try value.string(), in: directory), location: value.contentLocation)
        case "http":
            return .http(try parseHTTP(value))
        default:
            return .command(try parseCommand(value, timeout: fields["timeout"], directory: directory))
        }
    }

    private static func parseCommand(_ node: YAMLNode, timeout: YAMLNode?, directory: String) throws(TollgateError) -> CommandScorerSpec {
        let arguments = try node.stringList()
        guard let program = arguments.first, !program.isEmpty else {
            throw node.error("expected the program and its arguments, e.g. command: [python3, score.py]")
        }
        var spec = CommandScorerSpec(arguments: arguments, workingDirectory: directory, location: node.location)
        if let timeout {
            spec.timeout = try positiveDuration(timeout)
        }
        return spec
    }

    private static func parseHTTP(_ node: YAMLNode) throws(TollgateError) -> HTTPScorerSpec {
        let fields = try node.fields(allowed: httpKeys)
        guard let urlNode = fields["url"] else { throw node.error("missing required key 'url' (the server's base URL, e.g. http://127.0.0.1:8080)") }
        guard let protocolNode = fields["protocol"] else { throw node.error("missing required key 'protocol': oip-v2 or mlflow") }
        let name = try protocolNode.string()
        let names = HTTPScorerSpec.InferenceProtocol.allCases.map(\.rawValue)
        guard let inferenceProtocol = HTTPScorerSpec.InferenceProtocol(rawValue: name) else {
            throw protocolNode.error(
                "unknown protocol '\(name)'\(NameSuggestion.hint(for: name, in: names)); expected one of: \(names.joined(separator: ", "))")
        }
        var spec = HTTPScorerSpec(url: try urlNode.string(), inferenceProtocol: inferenceProtocol, location: node.location)
        // Checked here so that a bad URL is an error at its own line, before any request.
        _ = try ServingEndpoint.url(HTTPScorerSpec(url: spec.url, inferenceProtocol: inferenceProtocol, location: urlNode.contentLocation), "")
        if inferenceProtocol == .mlflow, let key = oipOnlyKeys.first(where: { fields[$0] != nil }) {
            throw fields[key]!.error("'\(key)' applies to protocol oip-v2 only; mlflow serves one model at /invocations")
        }
        spec.model = try fields["model"]?.string()
        if inferenceProtocol == .oipV2, spec.model?.isEmpty ?? true {
            throw (fields["model"] ?? node).error("protocol oip-v2 needs 'model:', the served model's name")
        }
        spec.modelVersion = try fields["model_version"]?.string()
        if let input = fields["input"] {
            let parts = try input.fields(allowed: ["name", "datatype"])
            if let name = parts["name"] { spec.inputName = try name.string() }
            if let datatype = parts["datatype"] { spec.inputDatatype = try datatype.string().uppercased() }
        }
        spec.output = try fields["output"]?.string()
        if let size = fields["batch_size"] { spec.batchSize = try bounded(size, 1...100_000, "rows per request") }
        if let concurrency = fields["concurrency"] { spec.concurrency = try bounded(concurrency, 1...256, "requests in flight") }
        if let timeout = fields["timeout"] { spec.timeout = try positiveDuration(timeout) }
        if let ready = fields["ready_timeout"] { spec.readyTimeout = try ready.duration() }
        if let headers = fields["headers"] {
            for (name, value) in try headers.mapping() {
                let text = try value.string()
                try checkReferences(text, at: value)
                spec.headers.append(.init(name: name, value: text))
            }
        }
        return spec
    }

    /// `${NAME}` references must be well formed; whether NAME is set is asked at request time.
    private static func checkReferences(_ text: String, at node: YAMLNode) throws(TollgateError) {
        var environment: [String: String] = [:]
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            environment[String(rest[start.upperBound..<end])] = ""
            rest = rest[rest.index(after: end)...]
        }
        _ = try EnvironmentExpansion.expand(text, in: environment, at: node.contentLocation)
    }

    private static func bounded(_ node: YAMLNode, _ range: ClosedRange<Int>, _ what: String) throws(TollgateError) -> Int {
        let value = try node.int()
        guard range.contains(value) else {
            throw node.error("expected between \(range.lowerBound) and \(range.upperBound) \(what), found \(value)")
        }
        return value
    }

    private static func positiveDuration(_ node: YAMLNode) throws(TollgateError) -> Double {
        let seconds = try node.duration()
        guard seconds > 0 else { throw node.error("expected a timeout longer than zero") }
        return seconds
    }
}
