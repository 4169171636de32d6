import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `tollgate canary --history --site` (issue #12): each look recorded whole or not at all,
/// the looks of one `--state` forming one analysis, and the site and DORA showing it.
@Suite struct CanaryRecordTests {
    static let config = Fixtures.path("canary/canary.yml")

    /// The regressed example split in four, appended to `events` one quarter before each look.
    static func quarters() throws -> [String] {
        let lines = try String(contentsOfFile: Fixtures.path("canary/events-regressed.jsonl"), encoding: .utf8).split(separator: "\n").map { $0 + "\n" }
        return stride(from: 0, to: lines.count, by: lines.count / 4).map { lines[$0..<min($0 + lines.count / 4, lines.count)].joined() }
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { try Data().write(to: URL(fileURLWithPath: path)) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    static func exported(_ store: String) throws -> [[String: Any]] {
        let export = try Tool.run(["history", "export", "--history", store])
        #expect(export.exitCode == 0, "\(export.stderr)")
        return try export.stdout.split(separator: "\n").map { try #require(try JSONValue.parse(Data($0.utf8)) as? [String: Any]) }
    }

    @Test func theLooksOfOneStateAreOneAnalysisInTheHistoryOnTheSiteAndInDora() throws {
        let scratch = try ScratchDirectory()
        let events = scratch.path("events.jsonl")
        let state = scratch.path("state.json")
        let store = scratch.path("history.sqlite")
        let site = scratch.path("site")
        var codes: [Int32] = []
        for (i, quarter) in try Self.quarters().enumerated() {
            try Self.append(quarter, to: events)
            let result = try Tool.run(
                ["canary", "--config", Self.config, "--events", events, "--state", state, "--history", store] + (i == 3 ? ["--site", site] : []))
            #expect(!result.stderr.contains("error"), "\(result.stderr)")
            if i == 3 { #expect(result.stderr.contains("site: "), "\(result.stderr)") }
            codes.append(result.exitCode)
        }
        let looks = try Self.exported(store).filter { $0["kind"] as? String == "canary_analysis" }
        #expect(looks.count == 4)
        #expect(looks.map { $0["look"] as? Int } == [1, 2, 3, 4])
        let analysis = try #require(looks.first?["analysis"] as? String)
        #expect(looks.allSatisfy { $0["analysis"] as? String == analysis }, "one analysis across the four processes")
        #expect(looks.map { $0["verdict"] as? String }.last == "fail" && codes.last == 1)
        #expect(looks.map { ($0["baseline_events"] as? Int ?? 0) + ($0["canary_events"] as? Int ?? 0) } == [2000, 2000, 2000, 2000])
        let baseline = looks.map { $0["baseline_events"] as? Int ?? 0 }.reduce(0, +)
        let canary = looks.map { $0["canary_events"] as? Int ?? 0 }.reduce(0, +)
        #expect(baseline + canary == 8000 && baseline > 3500 && canary > 3500)
        #expect(try String(contentsOfFile: state, encoding: .utf8).contains("\"analysis_id\" : \"\(analysis)\""))

        // The site: a page for the analysis, a band per check with its margin, linked from the model.
        let page = try String(contentsOfFile: site + "/canary/\(analysis).html", encoding: .utf8)
        #expect(page.contains("Verdict: <strong>fail</strong> after 4 looks"))
        #expect(page.components(separatedBy: "<polygon class=\"cs-band\"").count - 1 == 3, "a band per check")
        #expect(page.contains(">margin 0.01</text>"))
        #expect(page.contains("<td>4</td><td>") && page.contains("<td>\(baseline)</td><td>\(canary)</td></tr>"), "requests per arm, per look and so far")
        let model = try String(contentsOfFile: site + "/models/credit-risk.html", encoding: .utf8)
        #expect(model.contains("href=\"../canary/\(analysis).html\""))

        let dora = try Tool.run(["dora", "--history", store, "--window", "30d"])
        #expect(dora.stdout.contains("0 passed, 1 failed, 0 undecided (of 1)"), "\(dora.stdout)\(dora.stderr)")
    }

    /// A history that refuses the insert (a trigger standing in for a full disk): exit 2, the
    /// state as it was before the look, no temporary file, no event; the next look is the same look.
    @Test func aLookTheHistoryRefusesLeavesTheStateAsItWas() throws {
        let scratch = try ScratchDirectory()
        let events = scratch.path("events.jsonl")
        let state = scratch.path("state.json")
        let store = scratch.path("history.sqlite")
        let quarters = try Self.quarters()
        try Self.append(quarters[0], to: events)
        #expect(try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state, "--history", store]).exitCode == 3)
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        let database = try SQLiteDatabase(path: store)
        try database.write { (db: any SQLConnection) throws(TollgateError) in
            try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON tollgate_events BEGIN SELECT RAISE(ABORT, 'disk full'); END", [])
        }
        database.close()
        try Self.append(quarters[1], to: events)
        let refused = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state, "--history", store])
        #expect(refused.exitCode == 2 && refused.stderr.contains("disk full"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.contains(".tmp-") }.isEmpty)
        let reopened = try SQLiteDatabase(path: store)
        try reopened.write { (db: any SQLConnection) throws(TollgateError) in try db.execute("DROP TRIGGER refuse", []) }
        reopened.close()
        let again = try Tool.run(["canary", "--config", Self.config, "--events", events, "--state", state, "--history", store])
        #expect(again.stdout.contains("after look 2 (2000 new events)"), "\(again.stdout)\(again.stderr)")
        #expect(try Self.exported(store).compactMap { $0["look"] as? Int } == [1, 2])
    }

    @Test func aSiteWithoutAHistoryIsRefused() throws {
        let scratch = try ScratchDirectory()
        let result = try Tool.run(["canary", "--config", Self.config, "--site", scratch.path("site")])
        #expect(result.exitCode == 2 && result.stderr.contains("--site builds the site from the history"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("site")))
    }
}
