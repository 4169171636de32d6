import Foundation
import TollgateCore
import TollgateStore

/// The two real backends every store test runs against.
public enum StoreKind: String, CaseIterable, Sendable {
    case sqlite, postgres
}

/// A PostgreSQL server on loopback, started by `scripts/postgres.sh` (idempotent) the first time
/// a test asks for it, so `swift test` works on its own as well as under the README's command.
public enum PostgresServer {
    private static let cached: Result<String, SupportError> = {
        if let url = ProcessInfo.processInfo.environment["TOLLGATE_TEST_POSTGRES_URL"], !url.isEmpty { return .success(url) }
        do {
            let url = try Subprocess.script("postgres.sh")
            return url.hasPrefix("postgres://") ? .success(url) : .failure(SupportError(message: "scripts/postgres.sh printed '\(url)'"))
        } catch {
            return .failure(error as? SupportError ?? SupportError(message: "\(error)"))
        }
    }()

    /// The server's URL for the shared test database.
    public static func url() throws -> String { try cached.get() }

    /// A new, empty database on the server, so tests never see each other's rows.
    public static func freshDatabaseURL() throws -> String {
        let base = try url()
        let name = "tollgate_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try PostgresDatabase(url: base)
        defer { admin.close() }
        try admin.autocommit("CREATE DATABASE \(name)")
        guard var parts = URLComponents(string: base) else { throw SupportError(message: "bad URL \(base)") }
        parts.path = "/" + name
        return parts.string!
    }
}

/// A test's set-up failed (a server, a venv, a schema file): says which and why.
public struct SupportError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// A fresh, empty history of either kind, and its `--history` argument.
public struct TestStore {
    public let kind: StoreKind
    public let argument: String
    let scratch: ScratchDirectory

    public init(_ kind: StoreKind) throws {
        self.kind = kind
        scratch = try ScratchDirectory()
        switch kind {
        case .sqlite: argument = scratch.path("history.sqlite")
        case .postgres: argument = try PostgresServer.freshDatabaseURL()
        }
    }

    public func open() throws -> SQLHistory { try SQLHistory.open(try HistoryLocation(argument)) }

    public func path(_ relative: String) -> String { scratch.path(relative) }

    /// Writes `text` to a file of the store's scratch folder; its path.
    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String { try scratch.write(relative, text) }
}

/// A Python venv from `scripts/python-env.sh FLAVOR`, made on first use, for oracle checks.
public enum PythonEnv {
    private static let metrics: Result<String, SupportError> = make("metrics")

    public static func metricsPython() throws -> String { try metrics.get() }

    private static func make(_ flavor: String) -> Result<String, SupportError> {
        do {
            let python = try Subprocess.script("python-env.sh", [flavor])
            return FileManager.default.isExecutableFile(atPath: python)
                ? .success(python) : .failure(SupportError(message: "scripts/python-env.sh \(flavor) printed '\(python)'"))
        } catch {
            return .failure(error as? SupportError ?? SupportError(message: "\(error)"))
        }
    }
}
