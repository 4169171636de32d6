import Foundation

extension GateConfig {
    static let topLevelKeys = ["model", "registry", "champion", "candidates", "dataset", "checks", "fairness", "statistics", "load", "mlflow"]
    static let datasetKeys = [
        "path", "id", "label", "task", "positive", "threshold", "classes", "sensitive",
        "allow_missing_ids", "allow_extra_ids", "reference", "exclude"
    ]

    /// Reads and validates a config file; every problem names the file, line and column.
    public static func load(path: String) throws(TollgateError) -> GateConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot read the config file: \(Self.reason(error))")
        }
        let text = try UTF8Text.decode(data, file: path, kind: .config, what: "the config file")
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(text, file: path, baseDirectory: base, sha256: SHA256Digest.hex(of: data))
    }

    /// Parses config text; relative paths are resolved against `baseDirectory`.
    public static func parse(_ text: String, file: String, baseDirectory: URL, sha256: String = "") throws(TollgateError) -> GateConfig {
        let root = try YAMLNode.load(text, file: file)
        let fields = try root.fields(allowed: topLevelKeys)
        func required(_ key: String) throws(TollgateError) -> YAMLNode {
            guard let node = fields[key] else {
                throw TollgateError(.config, at: root.location, "missing required key '\(key)'")
            }
            return node
        }

        let model = try required("model").string()
        let registryNode = try required("registry")
        // A server URL stays as written (checked here, so a bad one is located); a folder is made absolute.
        let registryText = try registryNode.string()
        let registryPath: String
        if MLflowEndpoint.names(registryText) {
            _ = try MLflowEndpoint(registry: registryText, environment: [:], at: registryNode.contentLocation)
            registryPath = registryText
        } else {
            registryPath = resolve(registryText, against: baseDirectory)
        }
        let championNode = try required("champion")
        let champion = try VersionReference(parsing: championNode.string(), location: championNode.contentLocation)
        var candidates: [VersionReference] = []
        let candidatesNode = try required("candidates")
        for item in try candidatesNode.list() {
            candidates.append(try VersionReference(parsing: item.string(), location: item.contentLocation))
        }
        guard !candidates.isEmpty else { throw candidatesNode.error("expected at least one candidate, e.g. [\"@challenger\"]") }

        let dataset = try parseDataset(try required("dataset"), baseDirectory: baseDirectory)
        let checks = try parseChecks(try required("checks"), dataset: dataset)
        if dataset.referencePath == nil, let drift = checks.first(where: { $0.suite == .drift }) {
            throw TollgateError(
                .check, at: drift.location,
                "drift checks compare with reference data: add 'reference: FILE' (e.g. the training set) under 'dataset' for check '\(drift.source)'")
        }
        let fairness = try parseFairness(fields["fairness"], sensitive: dataset.sensitive)

        var config = GateConfig(
            file: file, sha256: sha256, model: model, registryPath: registryPath,
            registryLocation: registryNode.contentLocation, champion: champion, candidates: candidates,
            dataset: dataset, checks: checks, fairness: fairness)
        if let node = fields["statistics"] {
            let s = try node.fields(allowed: ["resamples", "seed"])
            if let resamples = s["resamples"] {
                config.statistics.resamples = try resamples.int()
                guard (100...1_000_000).contains(config.statistics.resamples) else {
                    throw resamples.error("expected between 100 and 1,000,000 resamples")
                }
            }
            if let seed = s["seed"] {
                guard let value = UInt64(try seed.string()) else { throw seed.error("expected a non-negative whole number as the seed") }
                config.statistics.seed = value
            }
        }
        if let node = fields["load"] { config.load = try LoadSpec.parse(node) }
        if let node = fields["mlflow"] {
            guard MLflowEndpoint.names(registryText) else {
                throw node.error("'mlflow' applies to an MLflow registry (registry: mlflow+http://HOST:PORT); this config's registry is a folder")
            }
            config.mlflow = try MLflowServeOptions.parse(node, baseDirectory: baseDirectory)
        }
        return config
    }

    private static func parseFairness(_ node: YAMLNode?, sensitive: [String]) throws(TollgateError) -> FairnessOptions {
        var options = FairnessOptions()
        guard let node else { return options }
        let fields = try node.fields(allowed: ["min_group_size", "reference_groups"])
        if let size = fields["min_group_size"] {
            options.minGroupSize = try size.int()
            guard options.minGroupSize >= 1 else { throw size.error("expected a minimum group size of at least 1") }
        }
        if let references = fields["reference_groups"] {
            for (column, value) in try references.mapping() {
                guard sensitive.contains(column) else {
                    throw value.error("'\(column)' is not listed in dataset.sensitive\(NameSuggestion.hint(for: column, in: sensitive))")
                }
                options.referenceGroups[column] = try value.string()
            }
        }
        return options
    }

    private static func parseDataset(_ node: YAMLNode, baseDirectory: URL) throws(TollgateError) -> DatasetSpec {
        let fields = try node.fields(allowed: datasetKeys)
        func required(_ key: String) throws(TollgateError) -> YAMLNode {
            guard let value = fields[key] else { throw node.error("missing required key 'dataset.\(key)'") }
            return value
        }
        let pathNode = try required("path")
        let displayPath = try pathNode.string()
        let taskNode = try required("task")
        let taskName = try taskNode.string()
        guard let task = Task(rawValue: taskName) else {
            throw taskNode.error("unknown task '\(taskName)'; expected binary, multiclass or regression")
        }
        var threshold = 0.5
        if let node = fields["threshold"] {
            threshold = try node.double()
            guard (0...1).contains(threshold) else { throw node.error("expected a threshold between 0 and 1, found \(threshold)") }
        }
        var classes = try fields["classes"]?.stringList() ?? []
        var declaredClasses = classes
        var positive: String?
        switch task {
        case .binary:
            positive = try fields["positive"]?.string() ?? "1"
            if classes.isEmpty {
                guard positive == "1" || positive == "true" else {
                    throw node.error("a binary dataset whose positive label is '\(positive!)' must list 'classes' (both labels)")
                }
                classes = positive == "1" ? ["0", "1"] : ["false", "true"]
                declaredClasses = classes
            }
            guard classes.count == 2, Set(classes).count == 2, let p = positive, classes.contains(p) else {
                throw (fields["classes"] ?? node).error("a binary dataset has exactly two distinct classes, one of them the positive label '\(positive!)'")
            }
            classes = [classes.first { $0 != p }!, p]
        case .multiclass:
            guard let classesNode = fields["classes"] else {
                throw node.error("a multiclass dataset must list its 'classes' (the labels, e.g. [own, rent, free])")
            }
            guard classes.count >= 2, Set(classes).count == classes.count else {
                throw classesNode.error("expected at least two distinct classes")
            }
            classes.sort()
        case .regression:
            classes = []
        }
        var spec = DatasetSpec(
            path: resolve(displayPath, against: baseDirectory), displayPath: displayPath,
            idColumn: try required("id").string(), labelColumn: try required("label").string(), task: task,
            positive: positive, threshold: threshold, classes: classes,
            sensitive: try fields["sensitive"]?.stringList() ?? [],
            allowMissingIDs: try fields["allow_missing_ids"]?.bool() ?? false,
            allowExtraIDs: try fields["allow_extra_ids"]?.bool() ?? false,
            location: node.location)
        spec.pathLocation = pathNode.contentLocation
        spec.declaredClasses = declaredClasses
        if let exclude = fields["exclude"] {
            spec.exclude = try exclude.stringList()
            spec.excludeLocation = exclude.location
        }
        if let reference = fields["reference"] {
            spec.referencePath = resolve(try reference.string(), against: baseDirectory)
            spec.referenceLocation = reference.contentLocation
        }
        return spec
    }

    private static func parseChecks(_ node: YAMLNode, dataset: DatasetSpec) throws(TollgateError) -> [Check] {
        var checks: [Check] = []
        let suites = Suite.gate.map(\.rawValue)
        for (name, list) in try node.mapping() {
            guard let suite = Suite(rawValue: name), Suite.gate.contains(suite) else {
                throw list.error("unknown suite '\(name)'\(NameSuggestion.hint(for: name, in: suites)); expected one of: \(suites.joined(separator: ", "))")
            }
            for item in try list.list() {
                guard case .scalar = item.node else { throw item.error("expected a check sentence such as 'roc_auc >= 0.75'") }
                let check = try CheckParser.parse(try item.string(), suite: suite, at: item.contentLocation)
                try CheckValidator.validate(check, task: dataset.task, sensitive: dataset.sensitive)
                checks.append(check)
            }
        }
        guard !checks.isEmpty else { throw node.error("expected at least one check") }
        return checks
    }

    static func resolve(_ path: String, against base: URL) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return base.appendingPathComponent(expanded).standardizedFileURL.path
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
        return ns.localizedDescription
    }
}
