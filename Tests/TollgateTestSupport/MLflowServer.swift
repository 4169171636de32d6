import Foundation
import TollgateCore

/// A real `mlflow server` on loopback (scripts/mlflow-server.sh), with the demo's credit-risk
/// versions registered as `credit-risk` by fixtures/mlflow/register_demo.py, both the first time
/// a test asks, so `swift test` works on its own as well as under scripts/test.sh (which starts
/// the server, exports TOLLGATE_TEST_MLFLOW_URL and stops it at the end).
public enum MLflowServer {
    /// The model register_demo.py registers; tests that change a registry copy it (`copy(as:)`).
    public static let demoModel = "credit-risk"
    /// The real scikit-learn model register_demo.py also registers (fixtures/serving/mlflow/credit-lr):
    /// version 1 scored from its predictions.csv, 2 tagged mlflow-serve, 3 untagged, 4 as 1.
    public static let servedModel = "credit-lr"

    /// The `mlflow` program that serves models: TOLLGATE_TEST_MLFLOW_BIN (scripts/test.sh sets it),
    /// else the serving venv's; nil when neither is there.
    public static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["TOLLGATE_TEST_MLFLOW_BIN"], !path.isEmpty { return path }
        let venv = Fixtures.root.appendingPathComponent(".venv-serving/bin/mlflow").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    private static let plain: Result<String, SupportError> = {
        do {
            let url = try start("TOLLGATE_TEST_MLFLOW_URL", [])
            let python = Fixtures.root.appendingPathComponent(".venv-serving/bin/python").path
            let result = try Subprocess.run(python, [Fixtures.path("mlflow/register_demo.py"), url, demoModel])
            guard result.status == 0 else {
                return .failure(SupportError(message: "fixtures/mlflow/register_demo.py exited \(result.status): \(result.stderr.suffix(800))"))
            }
            return .success(url)
        } catch {
            return .failure(error as? SupportError ?? SupportError(message: "\(error)"))
        }
    }()

    private static let auth: Result<String, SupportError> = {
        do { return .success(try start("TOLLGATE_TEST_MLFLOW_AUTH_URL", ["start", "auth"])) } catch {
            return .failure(error as? SupportError ?? SupportError(message: "\(error)"))
        }
    }()

    private static func start(_ variable: String, _ arguments: [String]) throws -> String {
        if let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty { return url }
        let url = try Subprocess.script("mlflow-server.sh", arguments)
        guard url.hasPrefix("http://127.0.0.1:") else { throw SupportError(message: "scripts/mlflow-server.sh printed '\(url)'") }
        return url
    }

    /// The plain server's URL (`http://127.0.0.1:PORT`), the demo model registered.
    public static func url() throws -> String { try plain.get() }

    /// The server running MLflow's basic-auth app, and its admin's password.
    public static func authServer() throws -> (url: String, adminPassword: String) {
        let url = try auth.get()
        let file =
            ProcessInfo.processInfo.environment["TOLLGATE_TEST_MLFLOW_AUTH_PASSWORD_FILE"]
            ?? Fixtures.root.appendingPathComponent(".tollgate/mlflow-server-auth/admin-password").path
        guard let password = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SupportError(message: "cannot read the auth server's admin password at \(file)")
        }
        return (url, password.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A new registered model with the demo's versions (same sources, runs and tags, so the
    /// same artifacts) and aliases, for a test that changes it. Returns its name.
    /// `source` and `versions` name another registered model to copy (e.g. `servedModel`, 1 to 4).
    public static func copy(as prefix: String, of source: String = demoModel, versions: [String] = ["1", "2", "3"]) throws -> String {
        let url = try url()
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let demo = try rest(url, "GET", "registered-models/get", query: ["name": source])["registered_model"] as? [String: Any] ?? [:]
        _ = try rest(url, "POST", "registered-models/create", body: ["name": name, "description": demo["description"] ?? "", "tags": demo["tags"] ?? []])
        for version in versions {
            let entry = try rest(url, "GET", "model-versions/get", query: ["name": source, "version": version])["model_version"] as? [String: Any] ?? [:]
            _ = try rest(
                url, "POST", "model-versions/create",
                body: ["name": name, "source": entry["source"] ?? "", "run_id": entry["run_id"] ?? "", "tags": entry["tags"] ?? []])
        }
        for alias in demo["aliases"] as? [[String: Any]] ?? [] {
            _ = try rest(url, "POST", "registered-models/alias", body: ["name": name, "alias": alias["alias"] ?? "", "version": alias["version"] ?? ""])
        }
        return name
    }

    /// Sets a version's tag, as `MlflowClient.set_model_version_tag` does.
    public static func setTag(_ model: String, version: String, _ key: String, _ value: String) throws {
        _ = try rest(try url(), "POST", "model-versions/set-tag", body: ["name": model, "version": version, "key": key, "value": value])
    }

    /// Moves an alias behind Tollgate's back, as another user of the registry would.
    public static func setAlias(_ model: String, _ alias: String, to version: String) throws {
        _ = try rest(try url(), "POST", "registered-models/alias", body: ["name": model, "alias": alias, "version": version])
    }

    /// The version an alias names, read back over REST.
    public static func alias(_ model: String, _ alias: String) throws -> String? {
        let answer = try rest(try url(), "GET", "registered-models/alias", query: ["name": model, "alias": alias])
        return (answer["model_version"] as? [String: Any])?["version"] as? String
    }

    /// One call to `/api/2.0/mlflow/PATH`; a refusal is a SupportError with the server's answer.
    public static func rest(
        _ url: String, _ method: String, _ path: String, query: [String: String] = [:], body: [String: Any]? = nil,
        basic: (user: String, password: String)? = nil
    ) throws -> [String: Any] {
        var components = URLComponents(string: "\(url)/api/2.0/mlflow/\(path)")!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let basic { headers.append(("Authorization", "Basic " + Data("\(basic.user):\(basic.password)".utf8).base64EncodedString())) }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        switch HTTPClient(maxConnections: 1).send(HTTPRequest(method: method, url: components.url!, headers: headers, body: data)) {
        case .failure(let failure): throw SupportError(message: "\(method) \(path): \(failure)")
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                throw SupportError(message: "\(method) \(path): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
            }
            return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        }
    }
}
