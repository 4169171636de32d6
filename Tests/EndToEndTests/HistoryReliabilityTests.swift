import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// Many processes writing one store, and processes killed while writing: the history keeps
/// every finished event and only whole ones, on SQLite and on a real PostgreSQL server.
@Suite("History reliability", .serialized)
struct HistoryReliabilityTests {
    /// Runs `script` with bash and returns its exit status.
    static func bash(_ script: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        var env = ProcessInfo.processInfo.environment
        for key in ["GITHUB_STEP_SUMMARY", "GITHUB_SHA", "CI_COMMIT_SHA"] { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        try process.run()
        return process
    }

    static func count(_ history: SQLHistory, _ sql: String) throws -> Int {
        try history.database.read { (db: any SQLConnection) throws(TollgateError) -> Int in
            var n = 0
            try db.query(sql, []) { (row: any SQLRow) throws(TollgateError) in n = Int(try row.integer(0) ?? 0) }
            return n
        }
    }

    /// The store's own check, plus "whole runs only": every run has its candidate and check rows.
    static func checkIntegrity(_ history: SQLHistory, kind: StoreKind) throws {
        switch kind {
        case .sqlite:
            var result = ""
            try history.database.read { (db: any SQLConnection) throws(TollgateError) in
                try db.query("PRAGMA integrity_check", []) { (row: any SQLRow) throws(TollgateError) in result += try row.text(0) ?? "" }
            }
            #expect(result == "ok")
        case .postgres:
            // amcheck verifies every B-tree index of the history's tables against its heap.
            try history.database.write { (db: any SQLConnection) throws(TollgateError) in
                try db.execute("CREATE EXTENSION IF NOT EXISTS amcheck", [])
                var indexes: [String] = []
                try db.query(
                    "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname LIKE 'tollgate_%'",
                    []
                ) { (row: any SQLRow) throws(TollgateError) in indexes.append(try row.text(0) ?? "") }
                for index in indexes { try db.execute("SELECT bt_index_check('\(index)'::regclass, true)", []) }
                #expect(indexes.count >= 6)
            }
        }
        // Every run event has exactly its candidate rows, and every candidate its check rows.
        let orphans = try count(
            history,
            """
            SELECT COUNT(*) FROM tollgate_events e WHERE e.kind = 'run'
            AND NOT EXISTS (SELECT 1 FROM tollgate_run_candidates c WHERE c.run_id = e.id)
            """)
        #expect(orphans == 0)
        let strays = try count(
            history, "SELECT COUNT(*) FROM tollgate_run_checks k WHERE NOT EXISTS (SELECT 1 FROM tollgate_run_candidates c WHERE c.run_id = k.run_id)")
        #expect(strays == 0)
        let runs = try count(history, "SELECT COUNT(*) FROM tollgate_events WHERE kind = 'run'")
        let checks = try count(history, "SELECT COUNT(*) FROM tollgate_run_checks")
        #expect(checks == runs * 3, "each fixture run has three checks")
    }

    @Test("8 processes at once, 6 gating 50 times and 2 recording 50 deployments: every event recorded, none locked out", arguments: StoreKind.allCases)
    func concurrentWriters(kind: StoreKind) throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let store = try TestStore(kind)
        let tool = Tool.executable
        let quoted = { (s: String) in "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let started = Date()
        let processes = try (0..<8).map { worker -> Process in
            let command =
                worker < 6
                ? "\(quoted(tool)) run -c \(quoted(config)) --history \(quoted(store.argument)) -q --no-color"
                : "\(quoted(tool)) record deployment -c \(quoted(config)) --history \(quoted(store.argument)) --model credit --version 2 --at 2026-06-01T00:00:00Z"
            let log = scratch.path("worker\(worker).log")
            return try Self.bash(
                """
                for i in $(seq 50); do
                  \(command) >/dev/null 2>>\(quoted(log)) || echo "worker \(worker) attempt $i exited $?" >> \(quoted(log))
                done
                """)
        }
        for process in processes { process.waitUntilExit() }
        let seconds = Date().timeIntervalSince(started)
        var complaints = ""
        for worker in 0..<8 { complaints += (try? String(contentsOfFile: scratch.path("worker\(worker).log"), encoding: .utf8)) ?? "" }
        #expect(complaints.isEmpty, "\(complaints.prefix(2000))")
        #expect(!complaints.contains("locked"))
        let history = try store.open()
        defer { history.close() }
        #expect(try Self.count(history, "SELECT COUNT(*) FROM tollgate_events WHERE kind = 'run'") == 300)
        #expect(try Self.count(history, "SELECT COUNT(*) FROM tollgate_events WHERE kind = 'deployment'") == 100)
        try Self.checkIntegrity(history, kind: kind)
        print("concurrent writers (\(kind)): 400 commands from 8 processes in \(String(format: "%.1f", seconds)) s, 400 events stored")
    }

    /// An export of `runs` gate runs, each a copy of one real run with its own id.
    static func runsExport(_ scratch: ScratchDirectory, runs: Int) throws -> String {
        let config = try GateFixture().write(to: scratch)
        let store = scratch.path("seed.sqlite")
        let result = try Tool.run(["run", "-c", config, "--history", store, "-q"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let exported = try Tool.run(["history", "export", "-c", config, "--history", store])
        let line = exported.stdout.trimmingCharacters(in: .newlines)
        let id = try #require(line.range(of: #""id":"[0-9a-f-]+""#, options: .regularExpression))
        var text = ""
        for n in 0..<runs { text += line.replacingCharacters(in: id, with: "\"id\":\"run-\(n)\"") + "\n" }
        return try scratch.write("runs.jsonl", text)
    }

    @Test(
        "50 imports killed with SIGKILL mid-write: the store stays intact, holds whole runs only, and an import run again completes it",
        arguments: StoreKind.allCases)
    func killedWhileRecording(kind: StoreKind) throws {
        let scratch = try ScratchDirectory()
        let runs = 1000
        let file = try Self.runsExport(scratch, runs: runs)
        // How long an uninterrupted import takes here, to spread the kills over it.
        let probe = try TestStore(kind)
        let t0 = Date()
        let full = try Tool.run(["history", "import", file, "--history", probe.argument])
        let duration = Date().timeIntervalSince(t0)
        #expect(full.exitCode == 0, "\(full.stderr)")
        var generator = SystemRandomNumberGenerator()
        var store = try TestStore(kind)
        var kills = 0
        var attempts = 0
        var completed = 0
        var stored = 0
        // Kill until 50 imports have died part-way; an import that finishes before its kill
        // leaves a complete store, so the next trials start again from an empty one.
        while kills < 50, attempts < 200 {
            attempts += 1
            let process = try Self.bash("exec \(Tool.executable) history import \(file) --history '\(store.argument)' >/dev/null 2>&1")
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...(duration * 0.9), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let history = try store.open()
            let now = try Self.count(history, "SELECT COUNT(*) FROM tollgate_events WHERE kind = 'run'")
            #expect(now >= stored, "nothing already recorded is lost")
            stored = now
            try Self.checkIntegrity(history, kind: kind)
            history.close()
            if process.terminationReason == .uncaughtSignal {
                kills += 1
            } else {
                completed += 1
                #expect(now == runs)
                store = try TestStore(kind)
                stored = 0
            }
        }
        #expect(kills == 50)
        let finish = try Tool.run(["history", "import", file, "--history", store.argument])
        #expect(finish.exitCode == 0, "\(finish.stderr)")
        let history = try store.open()
        defer { history.close() }
        #expect(try Self.count(history, "SELECT COUNT(*) FROM tollgate_events WHERE kind = 'run'") == runs)
        try Self.checkIntegrity(history, kind: kind)
        print(
            "SIGKILL trials (\(kind)): \(kills) imports of \(runs) runs killed part-way (kill after 0.05-\(String(format: "%.2f", duration * 0.9)) s; \(completed) finished first and restarted on an empty store); \(stored) runs in the store before the final import; integrity and whole runs checked after every kill"
        )
    }

    @Test("a gate run killed at random moments never leaves half a run", arguments: StoreKind.allCases)
    func killedRuns(kind: StoreKind) throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let store = try TestStore(kind)
        let t0 = Date()
        let first = try Tool.run(["run", "-c", config, "--history", store.argument, "-q"])
        let duration = Date().timeIntervalSince(t0)
        #expect(first.exitCode == 0, "\(first.stderr)")
        for _ in 0..<20 {
            let process = try Self.bash("exec \(Tool.executable) run -c \(config) --history '\(store.argument)' -q >/dev/null 2>&1")
            Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.2)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let history = try store.open()
        defer { history.close() }
        try Self.checkIntegrity(history, kind: kind)
    }
}
