import Foundation
import TollgateCore

/// A small, complete gate on disk: registry, dataset, predictions and config, as text files a
/// test can change one at a time before writing them out. Bad-input tests start from this
/// valid gate and break exactly one thing.
public struct GateFixture {
    /// Relative path → contents. Edit freely before `write()`.
    public var files: [String: String]

    public init(checks: [String] = ["roc_auc >= champion - 0.05", "accuracy >= 0.5", "brier <= 0.01 warn"]) {
        files = [
            "gate.yml": """
            model: credit
            registry: registry
            champion: "@champion"
            candidates: ["@challenger"]
            dataset:
              path: data.csv
              id: id
              label: risk
              task: binary
              positive: 1
              sensitive: [sex]
            checks:
              accuracy:
            \(checks.map { "    - \($0)" }.joined(separator: "\n"))

            """,
            "registry/credit/model.yaml": """
            description: Credit risk
            owners: [risk-team@example.com]
            aliases: {champion: "1", challenger: "2"}

            """,
            "registry/credit/1/version.yaml": Self.versionYAML(created: "2026-01-01T00:00:00Z"),
            "registry/credit/2/version.yaml": Self.versionYAML(created: "2026-02-01T00:00:00Z"),
            "registry/credit/1/model.bin": "champion weights\n",
            "registry/credit/2/model.bin": "challenger weights\n",
            "data.csv": "id,risk,sex\n" + Self.rows.map { "\($0.id),\($0.label),\($0.sex)" }.joined(separator: "\n") + "\n",
            "registry/credit/1/predictions.csv": "id,score\n" + Self.rows.map { "\($0.id),\($0.champion)" }.joined(separator: "\n") + "\n",
            "registry/credit/2/predictions.csv": "id,score\n" + Self.rows.map { "\($0.id),\($0.challenger)" }.joined(separator: "\n") + "\n"
        ]
    }

    /// Ten rows, five positive: the challenger ranks every positive above every negative
    /// (ROC AUC 1), the champion 21 of the 25 pairs (ROC AUC 0.84).
    public static let rows: [(id: String, label: Int, sex: String, champion: Double, challenger: Double)] = [
        ("a1", 1, "f", 0.9, 0.95), ("a2", 0, "m", 0.4, 0.2), ("a3", 1, "m", 0.35, 0.7), ("a4", 0, "f", 0.6, 0.3),
        ("a5", 1, "f", 0.8, 0.85), ("a6", 0, "m", 0.1, 0.15), ("a7", 1, "m", 0.55, 0.6), ("a8", 0, "f", 0.3, 0.4),
        ("a9", 1, "f", 0.45, 0.65), ("a10", 0, "m", 0.2, 0.1)
    ]

    public static func versionYAML(created: String, extra: String = "") -> String {
        """
        created_at: "\(created)"
        source:
          commit: "0123456789abcdef0123456789abcdef01234567"
          committed_at: "2025-12-31T12:00:00Z"
        tags: {algorithm: logistic_regression}
        scorer:
          predictions: predictions.csv
        \(extra)
        """
    }

    /// Writes every file and returns the config's path; artifacts get their real sha256.
    @discardableResult
    public func write(to directory: ScratchDirectory, withArtifactDigests: Bool = true) throws -> String {
        var files = self.files
        if withArtifactDigests {
            for version in ["1", "2"] {
                let key = "registry/credit/\(version)/version.yaml"
                guard let yaml = files[key], let model = files["registry/credit/\(version)/model.bin"], !yaml.contains("artifact:") else { continue }
                files[key] = yaml + "artifact:\n  path: model.bin\n  sha256: \(SHA256Hex.of(model))\n"
            }
        }
        for (path, text) in files { try directory.write(path, text) }
        return directory.path("gate.yml")
    }
}

/// sha256 of text, through the library's own hasher.
public enum SHA256Hex {
    public static func of(_ text: String) -> String { SHA256Digest.hex(of: Data(text.utf8)) }
}
