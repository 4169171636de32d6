import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// The store's contract, on SQLite and on a real PostgreSQL server alike.
@Suite("History store")
struct HistoryStoreTests {
    static let now = Instant(rfc3339: "2026-06-30T12:00:00Z")!

    static func time(_ text: String) -> Instant { Instant(rfc3339: "2026-06-\(text)Z")! }

    static func deployment(_ id: String, _ version: String, at: String, type: Deployment.Kind = .planned, remediates: String? = nil, model: String = "m")
        -> HistoryEvent
    {
        .deployment(
            Deployment(
                id: id, model: model, version: version, at: time(at), type: type, commit: "c\(version)",
                committedAt: time("01T00:00:00"), remediates: remediates, recordedAt: time(at)))
    }

    static func incident(_ id: String, at: String, deployment: String? = nil) -> HistoryEvent {
        .incident(Incident(id: id, model: "m", at: time(at), deployment: deployment, recordedAt: time(at)))
    }

    static func resolution(_ id: String, of incident: String, at: String) -> HistoryEvent {
        .resolution(Resolution(id: id, model: "m", at: time(at), incident: incident, recordedAt: time(at)))
    }

    /// The error an import of `file` stops with; an issue, and nil, when it does not stop.
    func importError(_ history: SQLHistory, _ file: String, batchSize: Int) -> TollgateError? {
        do {
            _ = try history.importLines(from: LineSource(path: file), now: Self.now, batchSize: batchSize)
            Issue.record("the import of \(file) did not stop")
            return nil
        } catch {
            return error
        }
    }

    func export(_ history: SQLHistory) throws -> String {
        var lines: [String] = []
        try history.forEachEvent(model: nil) { (event: HistoryEvent) throws(TollgateError) in
            lines.append(String(decoding: try event.jsonLine(), as: UTF8.self))
        }
        return lines.joined(separator: "\n")
    }

    @Test("an incident without a named deployment is blamed on the latest production deployment before it", arguments: StoreKind.allCases)
    func incidentLinking(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        try history.record(Self.deployment("d1", "1", at: "02T10:00:00"), now: Self.now)
        try history.record(Self.deployment("d2", "2", at: "03T10:00:00"), now: Self.now)
        try history.record(
            .deployment(Deployment(id: "s3", model: "m", version: "3", environment: "staging", at: Self.time("03T11:00:00"), recordedAt: Self.now)),
            now: Self.now)
        let result = try history.record(Self.incident("i1", at: "03T12:00:00"), now: Self.now)
        guard case .added(.incident(let incident)) = result else {
            Issue.record("not added: \(result)")
            return
        }
        #expect(incident.deployment == "d2")
        // A rollback without a target remedies the latest deployment before it, too.
        guard case .added(.deployment(let rollback)) = try history.record(Self.deployment("r1", "1", at: "03T13:00:00", type: .rollback), now: Self.now) else {
            Issue.record("rollback not added")
            return
        }
        #expect(rollback.remediates == "d2")
    }

    @Test("recording the same event id twice adds nothing; importing an export twice adds nothing", arguments: StoreKind.allCases)
    func idempotence(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        #expect(try history.record(Self.deployment("d1", "1", at: "02T10:00:00"), now: Self.now) != .known)
        #expect(try history.record(Self.deployment("d1", "1", at: "02T10:00:00"), now: Self.now) == .known)
        let file = Fixtures.path("history/credit-risk-year.jsonl")
        let end = Instant(rfc3339: "2026-11-30T00:00:00Z")!
        let first = try history.importLines(from: LineSource(path: file), now: end)
        let second = try history.importLines(from: LineSource(path: file), now: end)
        #expect(first.added == 47 && first.known == 0)
        #expect(second.added == 0 && second.known == 47)
    }

    @Test("an export moves between SQLite and PostgreSQL and comes back byte for byte")
    func roundTrip() throws {
        let end = Instant(rfc3339: "2026-11-30T00:00:00Z")!
        let sqliteStore = try TestStore(.sqlite)
        let sqlite = try sqliteStore.open()
        let postgresStore = try TestStore(.postgres)
        let postgres = try postgresStore.open()
        let back = try TestStore(.sqlite)
        defer {
            sqlite.close()
            postgres.close()
        }
        _ = try sqlite.importLines(from: LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")), now: end)
        let exported = try export(sqlite)
        let file = back.path("export.jsonl")
        try Data(exported.utf8).write(to: URL(fileURLWithPath: file))
        _ = try postgres.importLines(from: LineSource(path: file), now: end)
        let fromPostgres = try export(postgres)
        #expect(fromPostgres == exported)
        let again = try back.open()
        defer { again.close() }
        try Data(fromPostgres.utf8).write(to: URL(fileURLWithPath: file))
        _ = try again.importLines(from: LineSource(path: file), now: end)
        #expect(try export(again) == exported)
        // And the export is the fixture itself, events in the same order.
        let fixture = try String(contentsOfFile: Fixtures.path("history/credit-risk-year.jsonl"), encoding: .utf8)
        #expect(exported.split(separator: "\n").count == fixture.split(separator: "\n").count)
    }

    /// Each bad event, and the message that must name what is wrong.
    static let badEvents: [(String, HistoryEvent, String)] = [
        ("resolve before open", resolution("x1", of: "i1", at: "03T11:00:00"), "before the incident opened"),
        ("resolve an unknown incident", resolution("x2", of: "nope", at: "04T11:00:00"), "no incident 'nope'"),
        ("resolve twice", resolution("x3", of: "i0", at: "04T11:00:00"), "already resolved"),
        ("time in the future", deployment("d9", "9", at: "30T12:10:00"), "in the future"),
        ("incident before any deployment", incident("i9", at: "01T09:00:00"), "no production deployment of 'm'"),
        ("incident blamed on an unknown deployment", incident("i8", at: "03T12:00:00", deployment: "nope"), "no deployment 'nope'"),
        ("incident blamed on another model's deployment", incident("i7", at: "03T12:00:00", deployment: "o1"), "belongs to model 'other'"),
        ("rollback with nothing before it", deployment("r9", "1", at: "01T09:00:00", type: .rollback), "no production deployment of 'm'"),
        ("a planned deployment that claims to remedy", deployment("d8", "8", at: "04T10:00:00", remediates: "d1"), "only a hotfix or rollback"),
        ("an id reused for a different event", deployment("d1", "1", at: "05T10:00:00"), "already recorded")
    ]

    @Test("a bad event is refused with its reason, and nothing stored changes", arguments: StoreKind.allCases)
    func badEventsChangeNothing(kind: StoreKind) throws {
        let testStore = try TestStore(kind)
        let history = try testStore.open()
        defer { history.close() }
        try history.record(Self.deployment("d1", "1", at: "02T10:00:00"), now: Self.now)
        try history.record(Self.deployment("o1", "1", at: "02T10:00:00", model: "other"), now: Self.now)
        try history.record(Self.incident("i0", at: "02T11:00:00"), now: Self.now)
        try history.record(Self.resolution("x0", of: "i0", at: "02T12:00:00"), now: Self.now)
        try history.record(Self.incident("i1", at: "03T12:00:00"), now: Self.now)
        let before = try export(history)
        for (name, event, reason) in Self.badEvents {
            do {
                try history.record(event, now: Self.now)
                Issue.record("\(name): accepted")
            } catch {
                #expect(error.kind == .history, "\(name)")
                #expect(error.message.contains(reason), "\(name): \(error.message)")
            }
            #expect(try export(history) == before, "\(name) changed the store")
        }
    }

    @Test("a malformed line stops an import at its line number; the batches before it stay", arguments: StoreKind.allCases)
    func malformedImport(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let good = String(decoding: try Self.deployment("d1", "1", at: "02T10:00:00").jsonLine(), as: UTF8.self)
        let file = try store.write("bad.jsonl", good + "\n\n{\"kind\":\"deployment\",\"id\":\"d2\"}\n")
        let error = importError(history, file, batchSize: 1)
        #expect(error?.location == TollgateCore.SourceLocation(file: file, line: 3))
        #expect(error?.message.contains("missing key 'model'") == true, "\(error?.message ?? "")")
        #expect(try export(history) == good)
    }

    /// The lines are decoded on a thread of their own, ahead of the batch being stored: the
    /// order, and what stays when the import stops, must be those of one line after another.
    @Test(
        "an import that stops many batches in keeps exactly the batches before the line it stops at, bad line or refused event",
        .timeLimit(.minutes(1)), arguments: StoreKind.allCases)
    func importStopsInOrder(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let history = try store.open()
        defer { history.close() }
        let lines = try (1...150).map { n in
            // A minute apart, so the export's order (by time) is the file's.
            String(decoding: try Self.deployment("d\(n)", "\(n)", at: "02T1\(n / 60):\(n % 60 / 10)\(n % 10):00").jsonLine(), as: UTF8.self)
        }
        let malformed = try store.write(
            "malformed.jsonl", (lines[..<119] + ["{\"kind\":\"deployment\",\"id\":\"bad\"}"] + lines[119...]).joined(separator: "\n"))
        #expect(importError(history, malformed, batchSize: 3)?.location == TollgateCore.SourceLocation(file: malformed, line: 120))
        // Lines 1-117 are whole batches before the bad line; 118-119 share its batch.
        #expect(try export(history) == lines[..<117].joined(separator: "\n"))

        // d50 again, as an incident, on line 100: the store refuses it, in the batch of lines 100-102.
        let clash = String(decoding: try Self.incident("d50", at: "02T13:00:00").jsonLine(), as: UTF8.self)
        let refused = try store.write("refused.jsonl", (lines[..<99] + [clash] + lines[99...]).joined(separator: "\n"))
        let second = try TestStore(kind)
        let fresh = try second.open()
        defer { fresh.close() }
        let error = importError(fresh, refused, batchSize: 3)
        #expect(error?.location == TollgateCore.SourceLocation(file: refused, line: 100))
        #expect(error?.message.contains("ids must be unique") == true, "\(error?.message ?? "")")
        #expect(try export(fresh) == lines[..<99].joined(separator: "\n"))
        // Fixed, the import adds only what is missing, in order.
        try store.write("refused.jsonl", lines.joined(separator: "\n"))
        let again = try fresh.importLines(from: LineSource(path: refused), now: Self.now, batchSize: 3)
        #expect(again.added == 51 && again.known == 99)
        #expect(try export(fresh) == lines.joined(separator: "\n"))
    }

    @Test("an older store is upgraded in place, and its runs backfill the new tables", arguments: StoreKind.allCases)
    func migration(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let location = try HistoryLocation(store.argument)
        let database: any SQLDatabase =
            switch location {
            case .sqlite(let path): try SQLiteDatabase(path: path)
            case .postgres(let url): try PostgresDatabase(url: url)
            }
        // Schema version 1 only: events, no run tables. Write the fixture's rows the way a
        // version-1 tollgate did.
        try Schema.migrate(database, to: 1)
        let end = Instant(rfc3339: "2026-11-30T00:00:00Z")!
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            try LineSource(path: Fixtures.path("history/credit-risk-year.jsonl")).forEachLine {
                (line: Data, location: TollgateCore.SourceLocation) throws(TollgateError) in
                let event = try HistoryEvent.decode(jsonLine: line, at: location)
                try db.execute(
                    "INSERT INTO tollgate_events (id, kind, model, at, recorded_at, link, type, environment, version, commit_sha, committed_at, registered_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Self.v1Columns(event, body: String(decoding: line, as: UTF8.self)))
            }
        }
        database.close()
        let history = try store.open()
        defer { history.close() }
        let facts = try history.doraFacts(model: "credit-risk", until: end)
        #expect(facts.evaluations.count == 16)
        #expect(facts.checks.count == 32)
        #expect(facts.deployments.count == 24)
    }

    static func v1Columns(_ event: HistoryEvent, body: String) -> [SQLValue] {
        var link: String?
        var type: String?
        var environment: String?
        var version: String?
        var commit: String?
        var committed: Instant?
        var registered: Instant?
        switch event {
        case .deployment(let d):
            (link, type, environment, version, commit, committed, registered) = (
                d.remediates, d.type.rawValue, d.environment, d.version, d.commit, d.committedAt, d.registeredAt
            )
        case .incident(let i): (link, environment) = (i.deployment, i.environment)
        case .resolution(let r): link = r.incident
        case .canaryAnalysis(let c): (link, type, version) = (c.analysis, c.verdict, c.canary)
        case .run, .incidentTracking: break
        }
        func text(_ s: String?) -> SQLValue { s.map(SQLValue.text) ?? .null }
        func ms(_ t: Instant?) -> SQLValue { t.map { .integer($0.milliseconds) } ?? .null }
        return [
            .text(event.id), .text(event.kind.rawValue), .text(event.model), .integer(event.at.milliseconds), .integer(event.recordedAt.milliseconds),
            text(link), text(type), text(environment), text(version), text(commit), ms(committed), ms(registered), .text(body)
        ]
    }

    @Test("a store written by a newer tollgate is refused rather than misread")
    func newerSchema() throws {
        let store = try TestStore(.sqlite)
        let history = try store.open()
        try history.database.write { (db: any SQLConnection) throws(TollgateError) in
            try db.execute("INSERT INTO tollgate_schema (version, name, applied_at) VALUES (99, 'future', 0)", [])
        }
        history.close()
        #expect(throws: TollgateError.self) { try store.open() }
    }
}
