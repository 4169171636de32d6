/// Step 2 of a run: every version's artifact checked against the sha256 its `version.yaml` vouches for.
struct VerifiedArtifacts {
    /// By version; a version that declares no artifact has none.
    var digests: [String: RunReport.FileDigest] = [:]

    static func verify(_ versions: [ModelVersion]) throws(TollgateError) -> VerifiedArtifacts {
        var verified = VerifiedArtifacts()
        for version in versions {
            verified.digests[version.version] = try ArtifactVerifier.verify(version)
        }
        return verified
    }

    /// `artifact_mb` of a version: NaN when it declares no artifact or its size is unknown.
    func megabytes(of version: String) -> Double {
        digests[version]?.bytes.map { Formatting.megabytes(Int64($0)) } ?? .nan
    }
}
