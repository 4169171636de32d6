import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `record`, `promote`, `run --promote`, `history` and `dora` through the built binary.
@Suite("History commands")
struct HistoryCommandTests {
    @Test("run records itself beside the config by default; --no-record leaves no store")
    func runRecords() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let quiet = try Tool.run(["run", "-c", config, "--no-record", "-q"])
        #expect(quiet.exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path(".tollgate/history.sqlite")))
        let result = try Tool.run(["run", "-c", config])
        #expect(result.exitCode == 0)
        #expect(result.stderr.contains("recorded run"))
        let export = try Tool.run(["history", "export", "-c", config])
        #expect(export.exitCode == 0)
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""kind":"run""#) == true)
    }

    @Test("an unreachable store fails the run closed, before evaluating anything")
    func unreachableStore() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let result = try Tool.run(["run", "-c", config, "--history", "postgres://nobody@127.0.0.1:1/none?sslmode=disable"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot reach the history"))
        #expect(result.stdout.isEmpty)
    }

    @Test("record: deployment, incident, resolve; the incident is blamed on the deployment")
    func recordEvents() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let deploy = try Tool.run(["record", "deployment", "-c", config, "--model", "credit", "--version", "2", "--at", "2026-06-01T10:00:00Z", "--id", "dep-1"]
        )
        #expect(deploy.exitCode == 0, "\(deploy.stderr)")
        #expect(deploy.stdout.contains("recorded planned deployment dep-1"))
        let incident = try Tool.run(["record", "incident", "-c", config, "--model", "credit", "--at", "2026-06-02T10:00:00Z", "--id", "inc-1"])
        #expect(incident.stdout.contains("blamed on deployment dep-1"), "\(incident.stdout)\(incident.stderr)")
        let early = try Tool.run(["record", "resolve", "-c", config, "--model", "credit", "--incident", "inc-1", "--at", "2026-06-01T10:00:00Z"])
        #expect(early.exitCode == 2)
        #expect(early.stderr.contains("before the incident opened"))
        let resolve = try Tool.run(["record", "resolve", "-c", config, "--model", "credit", "--incident", "inc-1", "--at", "2026-06-02T12:00:00Z"])
        #expect(resolve.exitCode == 0, "\(resolve.stderr)")
        // The deployment took its commit and registration time from the registry.
        let export = try Tool.run(["history", "export", "-c", config])
        #expect(export.stdout.contains(#""commit":"0123456789abcdef0123456789abcdef01234567""#))
        #expect(export.stdout.contains(#""registered_at":"2026-02-01T00:00:00Z""#))
        #expect(export.stdout.split(separator: "\n").count == 3)
    }

    @Test(
        "record refuses what the registry does not know, with exit 2, and stores nothing",
        arguments: [
            (["record", "deployment", "--model", "nope", "--version", "1"], "model 'nope' not found"),
            (["record", "deployment", "--model", "credit", "--version", "7"], "version '7' of model 'credit' not found"),
            (["record", "incident", "--model", "credit"], "no production deployment of 'credit'"),
            (["record", "deployment", "--model", "credit", "--version", "2", "--at", "2999-01-01T00:00:00Z"], "in the future"),
            (["record", "deployment", "--model", "credit", "--version", "2", "--at", "yesterday"], "--at")
        ])
    func recordRefuses(arguments: [String], message: String) throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let result = try Tool.run(arguments + ["-c", config])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        let export = try Tool.run(["history", "export", "-c", config])
        #expect(export.stdout.isEmpty)
    }

    @Test("promote moves the alias atomically and records the deployment; DORA sees it")
    func promote() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let result = try Tool.run(["promote", "credit@2", "-c", config, "--at", "2026-06-01T10:00:00Z"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("@champion → credit version 2 (was 1)"))
        let model = try String(contentsOfFile: scratch.path("registry/credit/model.yaml"), encoding: .utf8)
        #expect(model.contains(#"champion: "2""#))
        #expect(model.contains("challenger"))
        let candidates = try Tool.run(["candidates", "-c", config])
        #expect(candidates.stdout.contains("champion @champion → version 2"))
        let dora = try Tool.run(["dora", "-c", config, "--until", "2026-06-02T00:00:00Z", "--format", "json"])
        #expect(dora.exitCode == 0, "\(dora.stderr)")
        let reports = try JSONDecoder().decode([JSONValue].self, from: Data(dora.stdout.utf8))
        #expect(reports.count == 1)
        #expect(dora.stdout.contains(#""deployments" : 1"#))
    }

    @Test("a promotion the history refuses puts model.yaml back as it was")
    func promoteRollsBack() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let before = try String(contentsOfFile: scratch.path("registry/credit/model.yaml"), encoding: .utf8)
        let result = try Tool.run(["promote", "credit@2", "-c", config, "--at", "2999-01-01T00:00:00Z"])
        #expect(result.exitCode == 2)
        #expect(try String(contentsOfFile: scratch.path("registry/credit/model.yaml"), encoding: .utf8) == before)
    }

    @Test("run --promote promotes a passing candidate and holds a failing one")
    func runPromote() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let passing = try Tool.run(["run", "-c", config, "--promote", "-q"])
        #expect(passing.exitCode == 0)
        #expect(passing.stdout.contains("promoted: @champion → credit version 2 (was 1)"))
        let other = try ScratchDirectory()
        let failing = try GateFixture(checks: ["brier <= 0.0001"]).write(to: other)
        let held = try Tool.run(["run", "-c", failing, "--promote", "-q"])
        #expect(held.exitCode == 1, "\(held.stderr)")
        #expect(held.stdout.contains("not promoted"))
    }

    @Test("run --promote counts candidates after folding: two references to one version promote it")
    func runPromoteFolded() throws {
        let scratch = try ScratchDirectory()
        var fixture = GateFixture()
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(
            of: #"candidates: ["@challenger"]"#, with: #"candidates: ["@challenger", "2"]"#)
        let config = try fixture.write(to: scratch)
        let result = try Tool.run(["run", "-c", config, "--promote"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("note: candidate '2' is version 2, already listed as '@challenger'; evaluated once"), "\(result.stderr)")
        #expect(result.stdout.contains("promoted: @champion → credit version 2 (was 1)"), "\(result.stdout)")
        let export = try Tool.run(["history", "export", "-c", config])
        #expect(export.stdout.split(separator: "\n").count == 2)
    }

    @Test("run --promote refuses two distinct candidates before evaluating or recording anything")
    func runPromoteTwoCandidates() throws {
        let scratch = try ScratchDirectory()
        var fixture = GateFixture()
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(
            of: #"candidates: ["@challenger"]"#, with: #"candidates: ["@challenger", "1"]"#)
        let config = try fixture.write(to: scratch)
        let before = try String(contentsOfFile: scratch.path("registry/credit/model.yaml"), encoding: .utf8)
        let result = try Tool.run(["run", "-c", config, "--promote"])
        #expect(result.exitCode == 2)
        #expect(result.stderr == "error: \(config): --promote needs exactly one candidate; this config has 2\n", "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.path(".tollgate/history.sqlite")))
        #expect(try String(contentsOfFile: scratch.path("registry/credit/model.yaml"), encoding: .utf8) == before)
    }

    @Test("PGUSER stands in for a postgres:// URL's missing user (the command line reads it, not the store)")
    func postgresUserFromEnvironment() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let result = try Tool.run(["run", "-c", config, "--history", "postgres://127.0.0.1:1/none?sslmode=disable"], environment: ["PGUSER": "nobody"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot reach the history at postgres none at 127.0.0.1:1"), "\(result.stderr)")
    }

    @Test("dora renders every format; openmetrics ends with # EOF and keeps families together")
    func doraFormats() throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("h.sqlite")
        let imported = try Tool.run(["history", "import", Fixtures.path("history/credit-risk-year.jsonl"), "--history", store])
        #expect(imported.stdout.contains("imported 47 events (0 already recorded)"))
        let again = try Tool.run(["history", "import", Fixtures.path("history/credit-risk-year.jsonl"), "--history", store])
        #expect(again.stdout.contains("imported 0 events (47 already recorded)"))
        let base = ["dora", "--history", store, "--until", "2026-11-30T00:00:00Z"]
        let table = try Tool.run(base)
        #expect(table.exitCode == 0)
        #expect(table.stdout.contains("change failure rate"))
        #expect(table.stdout.contains("26.7% (4 of 15)"))
        let markdown = try Tool.run(base + ["--format", "markdown"])
        #expect(markdown.stdout.contains("| change lead time | median 1.7 d, p90 4.0 d (n=14) | high |"), "\(markdown.stdout)")
        let metrics = try Tool.run(base + ["--format", "openmetrics"])
        #expect(metrics.stdout.hasSuffix("# EOF\n"))
        #expect(metrics.stdout.contains(#"tollgate_dora_change_failure_ratio{model="credit-risk",window_days="90"} 0.26666666666666666"#))
        let names = metrics.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.prefix { $0 != "{" } }
        var seen: [Substring] = []
        for name in names where seen.last != name {
            #expect(!seen.contains(name), "family \(name) is split")
            seen.append(name)
        }
        let bad = try Tool.run(base + ["--report-year", "2024"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("non-monotonic"))
        let window = try Tool.run(base + ["--window", "ninety"])
        #expect(window.exitCode == 2)
    }

    @Test("dora: no incident recorded means no failure-rate level until record incident-tracking; every format says so")
    func doraIncidentTracking() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let promoted = try Tool.run(["promote", "credit@2", "-c", config, "--at", "2026-06-01T10:00:00Z"])
        #expect(promoted.exitCode == 0, "\(promoted.stderr)")
        let base = ["dora", "-c", config, "--until", "2026-06-02T00:00:00Z"]
        let table = try Tool.run(base)
        #expect(table.exitCode == 0, "\(table.stderr)")
        #expect(table.stdout.contains("0.0% (0 of 1); no incidents recorded for this model"), "\(table.stdout)")
        #expect(table.stdout.contains("N/A (incidents not tracked)"))
        #expect(table.stdout.contains("as of 2026-06-02T00:00:00Z"))
        #expect(!table.stdout.contains("elite"))
        let metrics = try Tool.run(base + ["--format", "openmetrics"])
        #expect(!metrics.stdout.contains(#"metric="change_failure_rate""#))
        #expect(metrics.stdout.contains(#"tollgate_dora_incidents_tracked{model="credit",window_days="90"} 0"#))

        let unknown = try Tool.run(["record", "incident-tracking", "-c", config, "--model", "nope"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("model 'nope' not found"), "\(unknown.stderr)")
        let tracked = try Tool.run([
            "record", "incident-tracking", "-c", config, "--model", "credit", "--at", "2026-05-01T00:00:00Z", "--note", "on-call board", "--id", "track-1"
        ])
        #expect(tracked.exitCode == 0, "\(tracked.stderr)")
        #expect(tracked.stdout.contains("recorded incident tracking track-1"))

        let graded = try Tool.run(base + ["--format", "markdown"])
        #expect(graded.stdout.contains("| change failure rate | 0.0% (0 of 1) | elite |"), "\(graded.stdout)")
        let json = try Tool.run(base + ["--format", "json"])
        #expect(json.stdout.contains(#""incidents_tracked_since" : "2026-05-01T00:00:00Z""#), "\(json.stdout)")
        let gradedMetrics = try Tool.run(base + ["--format", "openmetrics"])
        #expect(
            gradedMetrics.stdout.contains(
                #"tollgate_dora_performance_level{model="credit",metric="change_failure_rate",report_year="2023",window_days="90"} 4"#))
        let export = try Tool.run(["history", "export", "-c", config])
        #expect(export.stdout.contains(#""kind":"incident_tracking""#))
    }

    @Test("import names the file and line of a malformed event")
    func importErrors() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write(
            "bad.jsonl",
            "{\"kind\":\"incident\",\"id\":\"i\",\"model\":\"m\",\"at\":\"soon\",\"recorded_at\":\"2026-01-01T00:00:00Z\",\"environment\":\"production\"}\n")
        let result = try Tool.run(["history", "import", file, "--history", scratch.path("h.sqlite")])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("\(file):1:"), "\(result.stderr)")
        #expect(result.stderr.contains("RFC 3339"))
    }

    @Test("import refuses a model name with a NUL in one located line, exit 2, and stores nothing")
    func importRefusesNUL() throws {
        let scratch = try ScratchDirectory()
        let line =
            #"{"at":"2026-06-02T10:00:00Z","environment":"production","id":"d1","kind":"deployment","model":"m\u0000a","recorded_at":"2026-06-02T10:00:00Z","type":"planned","version":"1"}"#
        let file = try scratch.write("nul.jsonl", line + "\n")
        let store = scratch.path("h.sqlite")
        let result = try Tool.run(["history", "import", file, "--history", store])
        #expect(result.exitCode == 2)
        #expect(result.stderr == "error: \(file):1: 'model' contains the control character U+0000: 'm\\u{0}a'\n", "\(result.stderr)")
        let export = try Tool.run(["history", "export", "--history", store])
        #expect(export.exitCode == 0)
        #expect(export.stdout.isEmpty)
    }
}
