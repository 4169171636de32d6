import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One version's artifacts as the server's artifact proxy serves them, fetched into a local
/// cache so the rest of the gate reads files as it does for a folder registry.
///
/// The cache is keyed by content: `<cache>/<sha256>/<file name>`. A file whose sha256 the
/// version vouches for is fetched once; the others are fetched and then filed under their digest.
struct MLflowArtifacts {
    var client: MLflowClient
    /// `1/<run>/artifacts/model`: the folder under `/api/2.0/mlflow-artifacts/artifacts/`.
    var root: String
    var cache: String
    /// `credit-risk@2`, for messages.
    var label: String
    var location: SourceLocation?
    /// Name → size, from the listing (the folder's top level and its sub-folders).
    private(set) var sizes: [String: Int64] = [:]

    static let proxy = "/api/2.0/mlflow-artifacts/artifacts"

    init(client: MLflowClient, root: String, cache: String, label: String, location: SourceLocation?) throws(TollgateError) {
        self.client = client
        self.root = root
        self.cache = cache
        self.label = label
        self.location = location
        try list("")
    }

    /// Lists a folder, and its sub-folders, a bounded number of levels down.
    private mutating func list(_ folder: String, depth: Int = 0) throws(TollgateError) {
        let path = folder.isEmpty ? root : "\(root)/\(folder)"
        let data = try client.require(Self.proxy, [("path", path)], what: "the artifacts of \(label)", at: location)
        let listing = try client.decode(MLflowArtifactListing.self, data, from: Self.proxy)
        for file in listing.files ?? [] {
            let name = folder.isEmpty ? file.path : "\(folder)/\(file.path)"
            if file.is_dir == true {
                if depth < 3 { try list(name, depth: depth + 1) }
            } else {
                sizes[name] = file.file_size ?? 0
            }
        }
    }

    func has(_ name: String) -> Bool { sizes[name] != nil }

    /// The local copy of `name`; `sha256`, when the registry vouches for one, must match.
    /// - Parameter what: how the file is named in messages (`the scorer artifact 'predictions.csv'`).
    func fetch(_ name: String, what: String, sha256 expected: String? = nil) throws(TollgateError) -> String {
        guard let size = sizes[name] else {
            let known = sizes.keys.sorted().joined(separator: ", ")
            throw TollgateError(
                .registry, at: location, "\(what) of \(label) is not among its artifacts on \(client.endpoint) (it has: \(known.isEmpty ? "none" : known))")
        }
        let fileName = MLflowPaths.fileName(name)
        if let expected {
            let cached = (cache as NSString).appendingPathComponent("\(expected)/\(fileName)")
            if FileManager.default.fileExists(atPath: cached), (try? SHA256Digest.hex(ofFileAt: cached)) == expected { return cached }
        }
        let path = "\(Self.proxy)/\(root)/\(name)"
        let data: Data
        switch try client.get(path) {
        case .ok(let body): data = body
        case .refused(let error): throw client.refusal(error, what: "\(what) of \(label)", at: location)
        }
        guard Int64(data.count) == size else {
            throw TollgateError(.registry, at: location, "\(what) of \(label) arrived incomplete: \(data.count) of \(size) bytes")
        }
        let digest = SHA256Digest.hex(of: data)
        if let expected, expected != digest {
            throw TollgateError(
                .integrity, at: location,
                "sha256 mismatch for \(what) of \(label): the tollgate.sha256 tag says \(expected), the file downloaded from \(client.endpoint) has \(digest)")
        }
        return try store(data, digest: digest, as: fileName)
    }

    /// Writes text the registry holds outside any file (a description standing in for the card).
    func store(text: String, as name: String) throws(TollgateError) -> String {
        let data = Data(text.utf8)
        return try store(data, digest: SHA256Digest.hex(of: data), as: MLflowPaths.fileName(name))
    }

    /// Written beside, then renamed: a concurrent gate reads the old copy or the new, never half.
    private func store(_ data: Data, digest: String, as fileName: String) throws(TollgateError) -> String {
        let folder = (cache as NSString).appendingPathComponent(digest)
        let file = (folder as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: file) { return file }
        let temporary = file + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, file) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TollgateError(.io, at: SourceLocation(file: folder), "cannot write to the MLflow artifact cache: \(error.localizedDescription)")
        }
        return file
    }
}
