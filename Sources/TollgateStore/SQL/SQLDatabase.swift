import TollgateCore

/// A value bound to, or read from, a statement: the four types both SQLite and PostgreSQL hold
/// the same way (times are integers of milliseconds, see `Instant`).
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    init(_ instant: Instant?) { self = instant.map { .integer($0.milliseconds) } ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }
}

/// A row being read: columns by position, typed on the way out.
public protocol SQLRow {
    func integer(_ column: Int) throws(TollgateError) -> Int64?
    func real(_ column: Int) throws(TollgateError) -> Double?
    func text(_ column: Int) throws(TollgateError) -> String?
}

extension SQLRow {
    func instant(_ column: Int) throws(TollgateError) -> Instant? { try integer(column).map(Instant.init(milliseconds:)) }
}

/// The statements the history runs inside one transaction.
///
/// SQL is written once with `?` placeholders in the subset SQLite and PostgreSQL share
/// (`ON CONFLICT DO NOTHING`, partial indexes, `BIGINT`); each backend binds them its own way.
public protocol SQLConnection {
    func execute(_ sql: String, _ arguments: [SQLValue]) throws(TollgateError)
    /// Runs a query and hands each row to `body`, in order.
    func query(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws(TollgateError) -> Void) throws(TollgateError)
    /// The number of rows the last `execute` changed; how an idempotent insert tells "new" from "known".
    func changes() throws(TollgateError) -> Int
    /// Adds `rows` (values in `columns` order), every one of which must be new: a row whose key
    /// is already stored (another writer's, under PostgreSQL's read committed) throws `conflict`,
    /// and the caller's transaction is then rolled back. A store may have a faster way than
    /// INSERT (PostgreSQL's COPY); the default is multi-row INSERTs.
    func insertNew(into table: String, columns: [String], rows: [[SQLValue]], conflict: TollgateError) throws(TollgateError)
}

extension SQLConnection {
    func insertNew(into table: String, columns: [String], rows: [[SQLValue]], conflict: TollgateError) throws(TollgateError) {
        try insertNewWithINSERT(into: table, columns: columns, rows: rows, conflict: conflict)
    }

    /// Rows per statement: 13 columns × 500 is well under both stores' parameter limits, and a
    /// full chunk's statement is prepared once and reused.
    static var insertChunk: Int { 500 }

    func insertNewWithINSERT(into table: String, columns: [String], rows: [[SQLValue]], conflict: TollgateError) throws(TollgateError) {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: Self.insertChunk) {
            let part = rows[start..<min(start + Self.insertChunk, rows.count)]
            try execute(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: tuple, count: part.count).joined(separator: ", ") + " ON CONFLICT DO NOTHING",
                part.flatMap { $0 })
            guard try changes() == part.count else { throw conflict }
        }
    }
}

extension SQLConnection {
    func execute(_ sql: String) throws(TollgateError) { try execute(sql, []) }

    /// The first column of the first row, if any.
    func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(TollgateError) -> Int64? {
        var value: Int64?
        var seen = false
        try query(sql, arguments) { (row: any SQLRow) throws(TollgateError) in
            if !seen { value = try row.integer(0) }
            seen = true
        }
        return value
    }
}

/// A database the history can live in: SQLite through GRDB, or PostgreSQL through postgres-nio.
public protocol SQLDatabase: Sendable {
    /// Shown in messages: the file or the server, never a password.
    var displayName: String { get }
    /// Runs `body` in one write transaction, retried by the backend when the database is busy;
    /// whatever `body` throws rolls everything back.
    func write<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T
    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> T
    /// Runs `body` once for each of up to `lanes` lanes at the same time, each on a connection of
    /// its own, and returns their results in lane order; lane `k` of `n` does its share of the
    /// work (`body(k, n, db)`). Every lane reads the same snapshot: `mark` is a query whose one
    /// text value changes with every commit (an append-only table's largest row id), and when
    /// the lanes' marks differ the work runs again in one lane. Where reads share one connection
    /// (PostgreSQL here), there is one lane.
    func readInLanes<T: Sendable>(
        _ lanes: Int, mark: String, _ body: @Sendable (_ lane: Int, _ lanes: Int, any SQLConnection) throws(TollgateError) -> T
    ) throws(TollgateError) -> [T]
    /// Statements that keep two processes from migrating the same store at once, run first in
    /// the migration transaction.
    var migrationLock: String? { get }
    /// A query with one `?` (a table name) that returns a row when the table exists.
    var tableExistsQuery: String { get }
    /// Brings the planner's statistics up to date after a bulk load, where the store keeps them
    /// apart from the data; a no-op where it does not.
    func refreshStatistics() throws(TollgateError)
    func close()
}

extension SQLDatabase {
    public func refreshStatistics() throws(TollgateError) {}

    public func readInLanes<T: Sendable>(
        _ lanes: Int, mark: String, _ body: @Sendable (_ lane: Int, _ lanes: Int, any SQLConnection) throws(TollgateError) -> T
    ) throws(TollgateError) -> [T] { try readInOneLane(body) }

    /// `readInLanes`' work as one lane on one connection: where there are no lanes, and where
    /// the lanes read different snapshots.
    func readInOneLane<T: Sendable>(_ body: (_ lane: Int, _ lanes: Int, any SQLConnection) throws(TollgateError) -> T) throws(TollgateError) -> [T] {
        [try read { (db: any SQLConnection) throws(TollgateError) -> T in try body(0, 1, db) }]
    }
}
