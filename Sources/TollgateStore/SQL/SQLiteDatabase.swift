import Foundation
import GRDB
import GRDBSQLite
import TollgateCore

/// The default history: one SQLite file, shared safely by every process on the machine.
///
/// WAL lets readers run beside the one writer; writes open `BEGIN IMMEDIATE` so two writers queue
/// on the busy timeout instead of failing with "database is locked" when a read turns into a write.
public final class SQLiteDatabase: SQLDatabase {
    let pool: DatabasePool
    public let displayName: String
    public let migrationLock: String? = nil
    public let tableExistsQuery = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"

    /// Each connection's page cache (see `init`).
    static let cacheKiB = 16384

    /// How long a writer waits for another before giving up.
    public static let busyTimeout: TimeInterval = 60

    public init(path: String) throws(TollgateError) {
        displayName = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw TollgateError(.history, at: SourceLocation(file: path), "cannot create the history's folder: \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        // 16 MiB of page cache instead of SQLite's 2 MiB: a DORA report reads each model's window
        // by index, and rows of many models share a page, so a small cache reads the same pages
        // again for every model (1.1 s of CPU at a million events, 0.83 s with this, +15 MiB).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.error(error, path)
        }
    }

    public func write<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try Self.untyped { () throws(TollgateError) in try body(Connection(db: db, path: displayName)) }
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.error(error, displayName)
        }
    }

    public func read<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T {
        do {
            return try pool.read { db in try Self.untyped { () throws(TollgateError) in try body(Connection(db: db, path: displayName)) } }
        } catch {
            throw Self.error(error, displayName)
        }
    }

    /// WAL lets the pool's readers run side by side, so a read that splits into independent parts
    /// (a DORA report's models) takes the cores it is given.
    public func readInLanes<T: Sendable>(
        _ lanes: Int, mark: String, _ body: @Sendable (_ lane: Int, _ lanes: Int, any SQLConnection) throws(TollgateError) -> T
    ) throws(TollgateError) -> [T] {
        guard lanes > 1 else { return try readInOneLane(body) }
        let outcomes = LaneOutcomes<(mark: String?, value: T)>(lanes)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            outcomes[lane] = Result { () throws(TollgateError) -> (mark: String?, value: T) in
                // One deferred transaction: the mark and the lane's reads see one snapshot.
                try self.read { (db: any SQLConnection) throws(TollgateError) in
                    // Each connection has a page cache of its own: the lanes share one
                    // connection's memory budget between them.
                    try db.execute("PRAGMA cache_size = -\(Self.cacheKiB / lanes)")
                    defer { try? db.execute("PRAGMA cache_size = -\(Self.cacheKiB)") }
                    var seen: String?
                    try db.query(mark, []) { (row: any SQLRow) throws(TollgateError) in seen = try row.text(0) }
                    return (seen, try body(lane, lanes, db))
                }
            }
        }
        let results = try outcomes.all()
        guard Set(results.map(\.mark)).count == 1 else { return try readInOneLane(body) }
        return results.map(\.value)
    }

    public func close() { try? pool.close() }

    /// GRDB's closures throw untyped errors; this lets a `TollgateError` pass through them intact.
    static func untyped<T>(_ body: () throws(TollgateError) -> T) throws -> T { try body() }

    static func error(_ error: any Error, _ path: String) -> TollgateError {
        if let error = error as? TollgateError { return error }
        if let error = error as? DatabaseError {
            return TollgateError(.history, at: SourceLocation(file: path), "SQLite error \(error.resultCode.rawValue): \(error.message ?? "\(error)")")
        }
        return TollgateError(.history, at: SourceLocation(file: path), "\(error)")
    }

    struct Connection: SQLConnection {
        let db: GRDB.Database
        let path: String

        /// Binds straight to the cached statement's handle: an import binds 13 values per event,
        /// and going through `StatementArguments` (a `DatabaseValue` each) was 15% of its time.
        ///
        /// Only INSERTs take that path: GRDB's own `execute` also clears its schema caches after
        /// DDL and checks for a transaction SQLite rolled back by itself, which a migration or a
        /// PRAGMA may need and an insert into a known table does not.
        func execute(_ sql: String, _ arguments: [SQLValue]) throws(TollgateError) {
            guard sql.utf8.starts(with: "INSERT ".utf8) else {
                do {
                    return try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments.map(\.databaseValue)))
                } catch {
                    throw SQLiteDatabase.error(error, path)
                }
            }
            let handle: OpaquePointer
            do {
                handle = try db.cachedStatement(sql: sql).sqliteStatement
            } catch {
                throw SQLiteDatabase.error(error, path)
            }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            guard Int(sqlite3_bind_parameter_count(handle)) == arguments.count else {
                throw TollgateError(
                    .history, at: SourceLocation(file: path), "SQLite statement expects \(sqlite3_bind_parameter_count(handle)) values, got \(arguments.count)")
            }
            for (offset, argument) in arguments.enumerated() {
                let index = Int32(offset + 1)
                let code: Int32
                switch argument {
                case .null: code = sqlite3_bind_null(handle, index)
                case .integer(let value): code = sqlite3_bind_int64(handle, index, value)
                case .real(let value): code = sqlite3_bind_double(handle, index, value)
                case .text(var value):
                    code = value.withUTF8 { bytes in
                        bytes.withMemoryRebound(to: CChar.self) { text in
                            guard let start = text.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                            return sqlite3_bind_text(handle, index, start, Int32(text.count), Self.transient)
                        }
                    }
                }
                guard code == SQLITE_OK else { throw failure(code) }
            }
            var code = sqlite3_step(handle)
            while code == SQLITE_ROW { code = sqlite3_step(handle) }
            let failed = code != SQLITE_DONE ? failure(code) : nil
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            if let failed { throw failed }
        }

        /// SQLite copies bound text at once: the Swift string may move after the call.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

        private func failure(_ code: Int32) -> TollgateError {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            // The primary code, as GRDB's errors give it (19 for any constraint, not 2067).
            return TollgateError(.history, at: SourceLocation(file: path), "SQLite error \(code & 0xFF): \(message)")
        }

        func query(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError) {
            do {
                let cursor = try GRDB.Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments.map(\.databaseValue)))
                while let row = try cursor.next() {
                    try SQLiteDatabase.untyped { () throws(TollgateError) in try body(Row(row: row)) }
                }
            } catch {
                throw SQLiteDatabase.error(error, path)
            }
        }

        func changes() throws(TollgateError) -> Int { db.changesCount }
    }

    struct Row: SQLRow {
        let row: GRDB.Row

        func integer(_ column: Int) throws(TollgateError) -> Int64? { row[column] }
        func real(_ column: Int) throws(TollgateError) -> Double? { row[column] }
        func text(_ column: Int) throws(TollgateError) -> String? { row[column] }
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let v): v.databaseValue
        case .real(let v): v.databaseValue
        case .text(let v): v.databaseValue
        }
    }
}

/// What each lane of `readInLanes` gave, written by the lanes' threads under a lock.
private final class LaneOutcomes<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<Value, TollgateError>?]

    init(_ lanes: Int) { outcomes = Array(repeating: nil, count: lanes) }

    subscript(lane: Int) -> Result<Value, TollgateError>? {
        get { lock.withLock { outcomes[lane] } }
        set { lock.withLock { outcomes[lane] = newValue } }
    }

    /// The values in lane order, or the first lane's error.
    func all() throws(TollgateError) -> [Value] {
        var values: [Value] = []
        for lane in outcomes.indices {
            guard let outcome = self[lane] else { throw TollgateError(.history, "a reading lane did not finish") }
            values.append(try outcome.get())
        }
        return values
    }
}
