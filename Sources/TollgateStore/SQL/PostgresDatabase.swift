import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization
import TollgateCore

/// The shared history for teams whose CI runners write from many machines: one PostgreSQL database.
///
/// A command records a handful of rows and exits, so one connection driven synchronously is all
/// it needs; the history's code stays the same for both stores.
public final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    let connection: PostgresConnection
    let logger = Logger(label: "tollgate.history")
    /// One transaction at a time on the one connection.
    let lock = NSLock()
    public let displayName: String
    /// Serialises migrations between processes for the length of the migration's transaction.
    public let migrationLock: String? = "SELECT pg_advisory_xact_lock(7346298)"
    public let tableExistsQuery = "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"

    /// - Parameter url: `postgres://user:password@host:port/database?sslmode=disable|prefer|require`;
    ///   `host=/socket/dir` in the query connects through a Unix socket, as libpq does.
    /// - Parameter credentials: the user and password when the URL has none.
    public init(url: String, credentials: PostgresCredentials = PostgresCredentials()) throws(TollgateError) {
        let location = SourceLocation(file: "--history")
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
            let user = parts.user ?? credentials.user
        else {
            throw TollgateError(.history, at: location, "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, got '\(Self.redacted(url))'")
        }
        let password = parts.password ?? credentials.password
        let database = parts.path.isEmpty ? user : String(parts.path.dropFirst())
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let port = parts.port ?? 5432
        var configuration: PostgresConnection.Configuration
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            configuration = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            displayName = "postgres \(database) at \(socketDirectory)"
        } else {
            let host = parts.host ?? "localhost"
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch query["sslmode"] ?? "prefer" {
                case "disable": tls = .disable
                case "prefer", "allow": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case "require", "verify-ca", "verify-full": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case let mode: throw TollgateError(.history, at: location, "unknown sslmode '\(mode)'; expected disable, prefer or require")
                }
            } catch let error as TollgateError {
                throw error
            } catch {
                throw TollgateError(.history, at: location, "cannot set up TLS: \(error)")
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
            displayName = "postgres \(database) at \(host):\(port)"
        }
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw TollgateError(.history, at: location, "cannot reach the history at \(displayName): \(Self.describe(error))")
        }
    }

    public func write<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T {
        try transaction("BEGIN ISOLATION LEVEL READ COMMITTED", body)
    }

    public func read<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func transaction<T>(_ begin: String, _ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let session = Session(database: self)
        try session.execute(begin, [])
        do {
            let result = try body(session)
            try session.execute("COMMIT", [])
            return result
        } catch {
            try? session.execute("ROLLBACK", [])
            throw error
        }
    }

    private var closed = false

    /// postgres-nio traps on a connection dropped unclosed; close it whichever way we leave.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    deinit { close() }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            return String(describing: error.code) + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }

    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://…"
    }

    /// `?` placeholders become `$1, $2, …`; the history's SQL has no `?` inside literals.
    static func numbered(_ sql: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var inLiteral = false
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "'") { inLiteral.toggle() }
            if byte == UInt8(ascii: "?"), !inLiteral {
                n += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(n).utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    final class Session: SQLConnection {
        let database: PostgresDatabase
        var lastChanges = 0

        init(database: PostgresDatabase) { self.database = database }

        func run(_ sql: String, _ arguments: [SQLValue]) throws(TollgateError) -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments {
                switch argument {
                case .null: binds.appendNull()
                case .integer(let v): binds.append(v)
                case .real(let v): binds.append(v)
                case .text(let v): binds.append(v)
                }
            }
            do {
                return try database.connection.query(
                    PostgresQuery(unsafeSQL: PostgresDatabase.numbered(sql), binds: binds), logger: database.logger
                ).wait()
            } catch {
                throw TollgateError(.history, at: SourceLocation(file: database.displayName), PostgresDatabase.describe(error))
            }
        }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws(TollgateError) {
            lastChanges = try run(sql, arguments).metadata.rows ?? 0
        }

        func query(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError) {
            for row in try run(sql, arguments).rows { try body(Row(cells: row.makeRandomAccess())) }
        }

        func changes() throws(TollgateError) -> Int { lastChanges }

        /// Batches of `copyThreshold` rows or more go in by `COPY … FROM STDIN`: one statement the
        /// server does not parse and plan per row group, where multi-row INSERTs of 6,500
        /// parameters left the import waiting on the server (16k events/s, its CPU a quarter of
        /// the wall time). A key already stored fails the COPY (SQLSTATE 23505) and with it the
        /// transaction, as a short INSERT fails the batch.
        ///
        /// postgres-nio's COPY is async only, so this thread waits for a task on Swift's
        /// concurrency pool. That is safe from a thread no task runs on (the command line's), and
        /// could starve the pool from inside a task (a test, a server's handler): there the rows
        /// go in by INSERT.
        func insertNew(into table: String, columns: [String], rows: [[SQLValue]], conflict: TollgateError) throws(TollgateError) {
            guard rows.count >= Self.copyThreshold, Self.mayWaitForATask else {
                return try insertNewWithINSERT(into: table, columns: columns, rows: rows, conflict: conflict)
            }
            var text = ByteBuffer()
            for row in rows { CopyText.append(row, to: &text) }
            let connection = database.connection
            let logger = database.logger
            let outcome = Mutex<Result<Void, any Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            let data = text
            _Concurrency.Task {
                do {
                    try await connection.copyFrom(table: table, columns: columns, format: .text(.init()), logger: logger) { writer in
                        try await writer.write(data)
                    }
                    outcome.withLock { $0 = .success(()) }
                } catch {
                    outcome.withLock { $0 = .failure(error) }
                }
                done.signal()
            }
            done.wait()
            if case .failure(let error)? = outcome.withLock({ $0 }) {
                if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" { throw conflict }
                throw TollgateError(.history, at: SourceLocation(file: database.displayName), PostgresDatabase.describe(error))
            }
            lastChanges = rows.count
        }

        /// Below this, an INSERT: a recorded run or look is a few rows, and stays off the async path.
        static let copyThreshold = 64

        /// True on a thread that is not running a Swift task, so blocking it cannot hold up the pool.
        static var mayWaitForATask: Bool { withUnsafeCurrentTask { $0 == nil } }
    }

    struct Row: SQLRow {
        let cells: PostgresRandomAccessRow

        func decode<T: PostgresDecodable>(_ column: Int, as: T.Type) throws(TollgateError) -> T? where T._DecodableType == T {
            do {
                return try cells[column].decode(Optional<T>.self)
            } catch {
                throw TollgateError(.history, "unexpected value in column \(column + 1): \(PostgresDatabase.describe(error))")
            }
        }

        func integer(_ column: Int) throws(TollgateError) -> Int64? { try decode(column, as: Int64.self) }
        func real(_ column: Int) throws(TollgateError) -> Double? { try decode(column, as: Double.self) }
        func text(_ column: Int) throws(TollgateError) -> String? { try decode(column, as: String.self) }
    }
}

extension PostgresDatabase {
    /// Until autovacuum analyses a freshly imported table (up to a minute later), PostgreSQL
    /// plans the DORA read's seeks as scans: `tollgate dora` right after importing a million
    /// events took 33-35 s, and 2.7 s once the table was analysed.
    public func refreshStatistics() throws(TollgateError) {
        try autocommit("ANALYZE tollgate_events, tollgate_run_candidates, tollgate_run_checks")
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE` refuses to run inside one).
    public func autocommit(_ sql: String) throws(TollgateError) {
        lock.lock()
        defer { lock.unlock() }
        try Session(database: self).execute(sql, [])
    }
}
