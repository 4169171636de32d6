import Foundation
import Yams

/// What Tollgate reads of an MLflow model's `MLmodel` file: the input schema (`signature.inputs`,
/// a JSON list of `{"type", "name"}` columns inside the YAML) and the model file's name.
struct MLflowMLmodel {
    var columns: [SchemaColumn] = []
    /// The file the flavour loads (`flavors.sklearn.pickled_model`, else
    /// `flavors.python_function.model_path`), when it is one file.
    var modelFile: String?

    /// MLflow's column types in Tollgate's kinds; types Tollgate cannot check (binary, datetime,
    /// arrays) are left out of the schema rather than guessed.
    static let kinds: [String: SchemaColumn.Kind] = [
        "string": .string, "long": .integer, "integer": .integer, "double": .number, "float": .number, "boolean": .boolean
    ]

    init(_ text: String, file: String) throws(TollgateError) {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw TollgateError(.registry, at: SourceLocation(file: file), "malformed MLmodel file: \(error)")
        }
        let fields = root as? [String: Any] ?? [:]
        let flavors = fields["flavors"] as? [String: Any] ?? [:]
        let loaded = ((flavors["sklearn"] as? [String: Any])?["pickled_model"] ?? (flavors["python_function"] as? [String: Any])?["model_path"]) as? String
        modelFile = loaded.flatMap(MLflowPaths.artifactPath)
        guard let signature = fields["signature"] as? [String: Any], let inputs = signature["inputs"] as? String else { return }
        guard let list = try? JSONSerialization.jsonObject(with: Data(inputs.utf8)) as? [[String: Any]] else {
            throw TollgateError(.registry, at: SourceLocation(file: file), "malformed MLmodel signature: expected 'inputs' to be a JSON list of columns")
        }
        columns = list.compactMap { column in
            guard let name = column["name"] as? String, let type = column["type"] as? String, let kind = Self.kinds[type] else { return nil }
            return SchemaColumn(name: name, kind: kind)
        }
    }
}
