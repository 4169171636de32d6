import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// A command scorer's answer is cached as a served model's scores are: the same program over
/// the same rows is read back without running it; a changed script, dataset or artifact, or
/// `--rescore`, runs it again; a broken answer is never cached.
@Suite struct CommandScorerCacheTests {
    /// Answers `age / 100` and appends a line to `runs.txt` (in the version folder) per run.
    static let countingScript = """
        import sys
        open("runs.txt", "a").write("run\\n")
        header = sys.stdin.readline().rstrip("\\n").split(",")
        age = header.index("age")
        print("id,score", flush=True)
        for line in sys.stdin:
            f = line.rstrip("\\n").split(",")
            print(f"{f[0]},{int(f[age]) / 100}", flush=True)
        """

    struct Setup {
        let base: CommandScorerTests.Setup

        init(script: String = CommandScorerCacheTests.countingScript) throws { base = try CommandScorerTests.Setup(script: script) }

        var runs: Int { ((try? String(contentsOfFile: "\(base.version)/runs.txt", encoding: .utf8)) ?? "").split(separator: "\n").count }

        func score(artifact: String? = "aa", rescore: Bool = false) throws -> (stream: any PredictionStream, report: ScoringReport?) {
            let scorer = base.scorer()
            let options = ScoringOptions(cacheDirectory: base.scratch.path("cache"), rescore: rescore, environment: [:])
            let cached = CachedCommandScorer(spec: scorer.spec, context: ScoringContext(version: scorer.version, artifactSHA256: artifact, options: options))
            let stream = try cached.predictions(for: base.dataset)
            return (stream, stream.scoring)
        }
    }

    @Test func theSameProgramOverTheSameRowsIsReadBackAndAnyChangeRunsItAgain() throws {
        let setup = try Setup()
        let first = try setup.score()
        #expect(first.report?.kind == "command" && first.report?.cacheHit == false && first.report?.rows == 20)
        #expect(first.report?.summary.hasPrefix("command 'python3 score.py': 20 rows, ") == true, "\(first.report?.summary ?? "")")
        let expected: [Double] = (0..<20).map { Double(20 + $0 % 50) / 100 }
        #expect(try setup.base.scores(first.stream, rows: 20) == expected)
        #expect(setup.runs == 1)

        let hit = try setup.score()
        #expect(hit.report?.cacheHit == true && hit.report?.rows == 20)
        #expect(hit.report?.summary.hasSuffix(", from the cache") == true)
        #expect(try setup.base.scores(hit.stream, rows: 20) == expected, "the cached answer joins as the fresh one did")
        #expect(setup.runs == 1, "a hit does not run the program")

        _ = try setup.score(rescore: true)
        #expect(setup.runs == 2)
        _ = try setup.score(artifact: "bb")
        #expect(setup.runs == 3, "another artifact is another key")
        try setup.base.scratch.write("registry/m/1/score.py", Self.countingScript + "\n# edited\n")
        _ = try setup.score()
        #expect(setup.runs == 4, "an edited script is another key")
        _ = try setup.score()
        #expect(setup.runs == 4)
        let entries = try FileManager.default.contentsOfDirectory(atPath: setup.base.scratch.path("cache"))
        #expect(entries.filter { $0.hasSuffix(".csv") }.count == 3 && !entries.contains { $0.contains(".partial") }, "\(entries)")
    }

    /// Two versions running the same script over the same rows (each loading its own model
    /// without naming it) never share an answer.
    @Test func twoVersionsWithTheSameScriptAreScoredApart() throws {
        let setup = try Setup()
        let first = setup.base.scorer()
        try setup.base.scratch.write("registry/m/2/score.py", Self.countingScript)
        let options = ScoringOptions(cacheDirectory: setup.base.scratch.path("cache"), environment: [:])
        var second = first.version
        second.version = "2"
        second.directory = setup.base.scratch.url.appendingPathComponent("registry/m/2").path
        var spec = first.spec
        spec.workingDirectory = second.directory
        _ = try CachedCommandScorer(spec: first.spec, context: ScoringContext(version: first.version, options: options)).predictions(for: setup.base.dataset)
        let other = try CachedCommandScorer(spec: spec, context: ScoringContext(version: second, options: options)).predictions(for: setup.base.dataset)
        #expect(other.scoring?.cacheHit == false)
        #expect(FileManager.default.fileExists(atPath: "\(second.directory)/runs.txt"), "version 2's own program ran")
    }

    /// An answer that leaves rows out exits 0 but is not cached: each run runs the program and
    /// the join names the missing id.
    @Test func anIncompleteAnswerIsNotCached() throws {
        let setup = try Setup(script: Self.countingScript.replacingOccurrences(of: "    print(f\"{f[0]}", with: "    if f[0] != \"r7\": print(f\"{f[0]}"))
        for run in 1...2 {
            #expect {
                let (stream, _) = try setup.score()
                _ = try setup.base.scores(stream, rows: 20)
            } throws: { error in
                "\(error)".contains("r7")
            }
            #expect(setup.runs == run)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: setup.base.scratch.path("cache"))) ?? []
        #expect(entries.isEmpty, "\(entries)")
    }
}
