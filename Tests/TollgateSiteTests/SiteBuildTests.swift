import Foundation
import Testing
import TollgateCore
import TollgateSite
import TollgateStore
import TollgateTestSupport

/// The site library builds from what the caller hands it (an open history, a registry, the
/// epoch) and reads no environment; what it cannot read is an error at the file, never a page
/// quietly left out.
@Suite("Site build")
struct SiteBuildTests {
    static func t(_ text: String) -> Instant { Instant(rfc3339: text)! }

    /// A history with one deployment of `m` and one of `elsewhere` (a model no registry holds),
    /// and a registry holding `m` version 1 with `card` as its model card.
    static func build(card: [UInt8], versionYAML: String = "scorer:\n  predictions: predictions.csv\n", epoch: Instant? = nil) throws -> (
        Result<SiteBuilder.Result, TollgateError>, ScratchDirectory
    ) {
        let scratch = try ScratchDirectory()
        let history = try SQLHistory.open(try HistoryLocation(scratch.path("h.sqlite")))
        defer { history.close() }
        let now = t("2026-07-01T00:00:00Z")
        try history.record(.deployment(Deployment(id: "d1", model: "m", version: "1", at: t("2026-06-01T10:00:00Z"), recordedAt: now)), now: now)
        try history.record(.deployment(Deployment(id: "d2", model: "elsewhere", version: "1", at: t("2026-06-02T10:00:00Z"), recordedAt: now)), now: now)
        _ = try scratch.write("registry/m/model.yaml", "description: a model\n")
        _ = try scratch.write("registry/m/1/version.yaml", versionYAML)
        _ = try scratch.write("registry/m/1/MODEL_CARD.md", bytes: card)
        var builder = SiteBuilder(
            history: history, templates: try SiteTemplates(defaults: try #require(SiteTemplates.defaultDirectory())), output: scratch.path("site"),
            registry: DirectoryRegistry(root: scratch.path("registry")))
        builder.epoch = epoch
        let result: Result<SiteBuilder.Result, TollgateError>
        do {
            result = .success(try builder.build())
        } catch {
            result = .failure(error)
        }
        return (result, scratch)
    }

    @Test("a readable card gets its page; a model the registry does not hold has none, and no error")
    func cards() throws {
        let (result, scratch) = try Self.build(card: Array("# Card\n\nGood.\n".utf8))
        _ = try result.get()
        let card = try String(contentsOfFile: scratch.path("site/cards/m/1.html"), encoding: .utf8)
        #expect(card.contains("<h2>Card</h2>"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("site/cards/elsewhere")))
    }

    @Test("a card that is not UTF-8 stops the build with its file, line and column")
    func unreadableCard() throws {
        let (result, scratch) = try Self.build(card: Array("# Card\n\ncaf".utf8) + [0xE9, 0x0A])
        guard case .failure(let error) = result else {
            Issue.record("the build succeeded")
            return
        }
        #expect(error.kind == .registry)
        #expect(error.location == SourceLocation(file: scratch.path("registry/m/1/MODEL_CARD.md"), line: 3, column: 4), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("site/index.html")))
    }

    @Test("a version whose metadata cannot be read stops the build at that file")
    func malformedVersion() throws {
        let (result, scratch) = try Self.build(card: Array("# Card\n".utf8), versionYAML: "scorer: [unclosed\n")
        guard case .failure(let error) = result else {
            Issue.record("the build succeeded")
            return
        }
        #expect(error.location?.file == scratch.path("registry/m/1/version.yaml"), "\(error)")
    }

    @Test("the epoch the caller passes is the time the site is as of")
    func epoch() throws {
        let (result, scratch) = try Self.build(card: Array("# Card\n".utf8), epoch: Self.t("2026-12-01T00:00:00Z"))
        _ = try result.get()
        let index = try String(contentsOfFile: scratch.path("site/index.html"), encoding: .utf8)
        #expect(index.contains("as of 2026-12-01T00:00:00Z"))
        let (plain, again) = try Self.build(card: Array("# Card\n".utf8))
        _ = try plain.get()
        #expect(try String(contentsOfFile: again.path("site/index.html"), encoding: .utf8).contains("as of 2026-06-02T10:00:00Z"))
    }

    @Test("run --site builds, from the run's own config and open history, the site `tollgate site` builds")
    func runSite() throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("history.sqlite")
        let environment = ["SOURCE_DATE_EPOCH": "1764547200"]
        let run = try Tool.run(["run", "-c", Fixtures.path("demo/tollgate.yml"), "--history", store, "--site", scratch.path("a")], environment: environment)
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.stderr.contains("site: ") && run.stderr.contains("files written in \(scratch.path("a"))"), "\(run.stderr)")
        let site = try Tool.run(["site", "--history", store, "-c", Fixtures.path("demo/tollgate.yml"), "--out", scratch.path("b")], environment: environment)
        #expect(site.exitCode == 0, "\(site.stderr)")
        let files = SiteTests.files(scratch.path("a"))
        #expect(files == SiteTests.files(scratch.path("b")))
        #expect(files.contains { $0.hasPrefix("cards/") })
        for file in files {
            #expect(
                FileManager.default.contents(atPath: scratch.path("a/" + file)) == FileManager.default.contents(atPath: scratch.path("b/" + file)),
                "\(file) differs")
        }
    }
}
