import Foundation
import Testing
import TollgateTestSupport

/// `@ mcnemar` and `@ delong` never read "no significant difference" as "not worse" (#16).
@Suite struct SignificanceGatingTests {
    /// Sixty rows, half positive; the champion is wrong on the first 14, the candidate on the
    /// first 19: accuracies 46/60 = 0.7667 and 41/60 = 0.6833, and all five discordant rows go
    /// the champion's way (b = 0, c = 5; McNemar's exact two-sided p = 0.0625).
    static func sixtyRows(checks: [String]) -> GateFixture {
        var fixture = GateFixture(checks: checks)
        func score(_ row: Int, right: Bool) -> String { (row % 2 == 1) == right ? "0.9" : "0.1" }
        let ids = (0..<60).map { "r\($0)" }
        fixture.files["data.csv"] = "id,risk,sex\n" + ids.indices.map { "\(ids[$0]),\($0 % 2),\($0 % 3 == 0 ? "f" : "m")\n" }.joined()
        fixture.files["registry/credit/1/predictions.csv"] = "id,score\n" + ids.indices.map { "\(ids[$0]),\(score($0, right: $0 >= 14))\n" }.joined()
        fixture.files["registry/credit/2/predictions.csv"] = "id,score\n" + ids.indices.map { "\(ids[$0]),\(score($0, right: $0 >= 19))\n" }.joined()
        return fixture
    }

    func run(_ fixture: GateFixture) throws -> (ToolResult, [[String: Any]], ScratchDirectory) {
        let dir = try ScratchDirectory()
        let config = try fixture.write(to: dir)
        let result = try Tool.run([
            "run", "--config", config, "--json", dir.path("run.json"), "--junit", dir.path("junit.xml"), "--summary", dir.path("summary.md"), "--no-record"
        ])
        let json = (try? JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json"))))) as? [String: Any]
        let checks = ((json?["candidates"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]]) ?? []
        return (result, checks, dir)
    }

    @Test func eightPointsWorseOnSixtyRowsIsNeverAPass() throws {
        let (result, checks, dir) = try run(
            Self.sixtyRows(checks: [
                "accuracy >= champion @ mcnemar 0.05", "accuracy >= champion - 0.02 @ mcnemar 0.05", "accuracy >= champion - 0.10 @ mcnemar 0.05"
            ]))
        #expect(checks.map { $0["outcome"] as? String } == ["fail", "fail", "inconclusive"], "\(result.stdout)")
        #expect(result.exitCode == 1)
        #expect(!result.stdout.contains("PASS"), "\(result.stdout)")
        let test = try #require(checks.first?["test"] as? [String: Any])
        #expect(agrees(number(test["difference"]), -5.0 / 60))
        #expect(agrees(number(test["z"]), -5.0.squareRoot()), "Tango's Z at a zero margin is McNemar's (b − c)/√(b + c)")
        #expect(agrees(number(test["margin"]), 0))
        let upper = try #require(number(test["upper_bound"]))
        #expect(upper < 0, "the one-sided 95% upper bound lies below the champion")
        #expect(agrees(number(checks[1]["test"].flatMap { ($0 as? [String: Any])?["margin"] }), -0.02))
        // The table shows the difference, its bounds, the margin and p where the threshold was.
        #expect(result.stdout.contains("Δ -0.0833 ["), "\(result.stdout)")
        #expect(result.stdout.contains("margin -0.02, p "), "\(result.stdout)")
        let junit = try String(contentsOfFile: dir.path("junit.xml"), encoding: .utf8)
        #expect(junit.contains("name=\"check.1.difference\" value=\"-0.0833333\""), "\(junit)")
        #expect(junit.contains("name=\"check.2.margin\" value=\"-0.02\""))
        #expect(junit.contains("name=\"check.1.p_value\""))
        let summary = try String(contentsOfFile: dir.path("summary.md"), encoding: .utf8)
        #expect(summary.contains("Δ -0.0833 \\[-0.1615, -0.0366\\], margin 0, p 0.9873"), "\(summary)")
    }

    @Test func theSiteShowsTheFiguresATestWasDecidedOn() throws {
        let dir = try ScratchDirectory()
        let config = try Self.sixtyRows(checks: ["accuracy >= champion @ mcnemar 0.05"]).write(to: dir)
        let store = dir.path("history.sqlite")
        #expect(try Tool.run(["run", "--config", config, "--history", store, "-q"]).exitCode == 1)
        let site = try Tool.run(["site", "--history", store, "-c", config, "--out", dir.path("site")])
        #expect(site.exitCode == 0, "\(site.stderr)")
        let pages = (FileManager.default.enumerator(atPath: dir.path("site"))?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") }
        // The site writes punctuation as numeric character references (`&#91;` for `[`).
        func unescaped(_ html: String) -> String {
            var out = html
            for code in [44, 91, 93] { out = out.replacingOccurrences(of: "&#\(code);", with: String(UnicodeScalar(UInt8(code)))) }
            return out
        }
        let texts = try pages.map { unescaped(try String(contentsOfFile: dir.path("site/\($0)"), encoding: .utf8)) }
        #expect(texts.contains { $0.contains("Δ -0.0833 [-0.1615, -0.0366], margin 0, p 0.9873") }, "\(pages)")
    }

    @Test func aCheckWithoutAMarginThatCannotBeShownSaysWhatWouldDecideIt() throws {
        // Identical decisions on every row: no evidence either way; a 2-point margin is shown.
        var fixture = Self.sixtyRows(checks: ["accuracy >= champion @ mcnemar 0.05", "accuracy >= champion - 0.2 @ mcnemar 0.05"])
        fixture.files["registry/credit/2/predictions.csv"] = fixture.files["registry/credit/1/predictions.csv"]!
        let (result, checks, _) = try run(fixture)
        #expect(checks.map { $0["outcome"] as? String } == ["inconclusive", "pass"], "\(result.stdout)")
        #expect(result.exitCode == 3)
        #expect(result.stdout.contains("Without a margin, '>= champion' claims the candidate is not worse at all"), "\(result.stdout)")
    }

    @Test(arguments: [
        ("accuracy >= champion @ mcnmar 0.05", ":14:30", "'mcnmar' is not a test this build knows (did you mean 'mcnemar'?)"),
        ("roc_auc >= champion * 0.99 @ delong 0.05", ":14:7", "write the threshold as 'champion - margin'"),
        ("roc_auc >= 0.7 @ delong 0.05", ":14:7", "compares with the champion"),
        ("roc_auc <= champion @ delong 0.05", ":14:7", "compares with the champion")
    ])
    func aTestThatCannotBeDecidedIsALocatedError(_ check: String, _ position: String, _ says: String) throws {
        let dir = try ScratchDirectory()
        let config = try GateFixture(checks: [check]).write(to: dir)
        let result = try Tool.run(["run", "--config", config, "--no-record"])
        #expect(result.exitCode == 2)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.hasPrefix("error: \(dir.path("gate.yml"))\(position)"), "\(message)")
        #expect(message.contains(says), "\(message)")
    }
}
