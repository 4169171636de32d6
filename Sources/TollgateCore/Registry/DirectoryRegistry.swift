import Foundation

/// The embedded registry: `registry/<model>/model.yaml` and `registry/<model>/<version>/version.yaml`.
public struct DirectoryRegistry: Registry {
    public let root: String
    /// Where the config named the registry, for "not found" messages.
    public let location: SourceLocation?

    public init(root: String, location: SourceLocation? = nil) {
        self.root = root
        self.location = location
    }

    public func model(_ name: String) throws(TollgateError) -> RegisteredModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TollgateError(.registry, at: location, "registry not found: expected a folder at \(root)")
        }
        try Self.checkPathComponent(name, what: "model name", at: location)
        let directory = (root as NSString).appendingPathComponent(name)
        let file = (directory as NSString).appendingPathComponent("model.yaml")
        guard FileManager.default.fileExists(atPath: file) else {
            let models = (try? FileManager.default.contentsOfDirectory(atPath: root))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
            throw TollgateError(
                .registry, at: location,
                "model '\(name)' not found in the registry (no \(file))\(NameSuggestion.hint(for: name, in: models))")
        }
        let node = try YAMLNode.load(try Self.read(file), file: file)
        let fields = try node.fields(allowed: ["description", "owners", "aliases", "tags"])
        var aliases: [String: String] = [:]
        if let aliasNode = fields["aliases"], !aliasNode.isNull {
            for (alias, value) in try aliasNode.mapping() { aliases[alias] = try value.string() }
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter {
                FileManager.default.fileExists(atPath: ((directory as NSString).appendingPathComponent($0) as NSString).appendingPathComponent("version.yaml"))
            }
            .sorted(by: VersionOrder.precedes)
        return RegisteredModel(
            name: name, description: try fields["description"]?.string(), owners: try fields["owners"]?.stringList() ?? [],
            aliases: aliases, location: SourceLocation(file: file), versions: versions)
    }

    public func version(_ version: String, of model: RegisteredModel, referencedAt reference: SourceLocation?) throws(TollgateError) -> ModelVersion {
        try Self.checkPathComponent(version, what: "version", at: reference ?? location)
        let directory = ((root as NSString).appendingPathComponent(model.name) as NSString).appendingPathComponent(version)
        let file = (directory as NSString).appendingPathComponent("version.yaml")
        guard FileManager.default.fileExists(atPath: file) else {
            let known = model.versions.isEmpty ? "none" : model.versions.joined(separator: ", ")
            throw TollgateError(
                .registry, at: reference ?? location, "version '\(version)' of model '\(model.name)' not found (no \(file)); versions: \(known)")
        }
        let node = try YAMLNode.load(try Self.read(file), file: file)
        let fields = try node.fields(allowed: [
            "created_at", "source", "tags", "scorer", "artifact", "model_card", "description", "license", "schema", "latency"
        ])

        var commit: String?
        var committedAt: String?
        if let source = fields["source"] {
            let s = try source.fields(allowed: ["commit", "committed_at", "repository", "branch"])
            commit = try s["commit"]?.string()
            committedAt = try s["committed_at"]?.string()
        }
        var tags: [String: String] = [:]
        if let tagNode = fields["tags"], !tagNode.isNull {
            for (key, value) in try tagNode.mapping() { tags[key] = try value.string() }
        }
        guard let scorerNode = fields["scorer"] else { throw node.error("missing required key 'scorer' (e.g. scorer: {predictions: predictions.csv})") }
        let scorer = try ScorerSpec.parse(scorerNode, directory: directory)

        var artifact: Artifact?
        if let artifactNode = fields["artifact"] {
            let a = try artifactNode.fields(allowed: ["path", "sha256", "format"])
            guard let pathNode = a["path"] else { throw artifactNode.error("missing required key 'artifact.path'") }
            var digest = try a["sha256"]?.string().lowercased()
            if let d = digest {
                guard d.count == 64, d.allSatisfy(\.isHexDigit) else {
                    throw a["sha256"]!.error("expected 64 hexadecimal digits for 'artifact.sha256'")
                }
                digest = d
            }
            artifact = Artifact(path: Self.resolve(try pathNode.string(), in: directory), sha256: digest, location: pathNode.contentLocation)
        }
        var schema: [SchemaColumn] = []
        if let schemaNode = fields["schema"] {
            let inputs = try schemaNode.fields(allowed: ["inputs"])
            guard let columns = inputs["inputs"] else {
                throw schemaNode.error("expected 'inputs:' mapping each input column to number, integer, string or boolean")
            }
            for (name, kindNode) in try columns.mapping() {
                let text = try kindNode.string()
                guard let kind = SchemaColumn.Kind(rawValue: text) else {
                    throw kindNode.error("unknown column type '\(text)'; expected number, integer, string or boolean")
                }
                schema.append(SchemaColumn(name: name, kind: kind))
            }
        }
        var latencySamples: String?
        var latencySamplesLocation: SourceLocation?
        if let latencyNode = fields["latency"] {
            let l = try latencyNode.fields(allowed: ["samples"])
            guard let samples = l["samples"] else { throw latencyNode.error("expected 'samples: FILE' with a latency_ms column") }
            latencySamples = Self.resolve(try samples.string(), in: directory)
            latencySamplesLocation = samples.contentLocation
        }
        let cardName = try fields["model_card"]?.string() ?? "MODEL_CARD.md"
        let cardPath = Self.resolve(cardName, in: directory)
        var modelVersion = ModelVersion(
            model: model.name, version: version, directory: directory, createdAt: try fields["created_at"]?.string(),
            sourceCommit: commit, sourceCommittedAt: committedAt, tags: tags, scorer: scorer, artifact: artifact,
            modelCard: FileManager.default.fileExists(atPath: cardPath) ? cardPath : nil,
            aliases: model.aliases.filter { $0.value == version }.map(\.key).sorted(), location: SourceLocation(file: file),
            license: try fields["license"]?.string() ?? tags["license"], latencySamples: latencySamples, schema: schema)
        modelVersion.latencySamplesLocation = latencySamplesLocation
        return modelVersion
    }

    /// Whether the registry has a folder for the model with its `model.yaml`; a name that could
    /// not be a folder (`../x`, `a/b`) is one it cannot hold.
    public func holds(model name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        let file = ((root as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("model.yaml")
        return FileManager.default.fileExists(atPath: file)
    }

    /// Names from a config become path components: refuse anything that could leave the registry.
    static func checkPathComponent(_ name: String, what: String, at location: SourceLocation?) throws(TollgateError) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"), !name.contains("\0") else {
            throw TollgateError(.registry, at: location, "invalid \(what) '\(name)': it must be a plain folder name")
        }
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    static func read(_ file: String) throws(TollgateError) -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw TollgateError(.io, at: SourceLocation(file: file), "cannot read the file")
        }
        return try UTF8Text.decode(data, file: file, kind: .registry, what: "the file")
    }
}

/// Orders versions as people expect: `2` before `10`, `1.2.0` before `1.10.0`.
enum VersionOrder {
    static func precedes(_ a: String, _ b: String) -> Bool {
        let pa = a.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let pb = b.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        if pa != pb, !pa.isEmpty, !pb.isEmpty { return pa.lexicographicallyPrecedes(pb) }
        return a < b
    }
}
