import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The command scorer runs a real program (python3) over the dataset: rows go to its stdin as
/// CSV while its answer streams back, and every way the program can fail is an error (exit 2).
@Suite struct CommandScorerTests {
    /// A dataset of `rows` rows (`id,risk,age,sex,income`), a version folder holding `script`,
    /// and the scorer that runs it.
    struct Setup {
        let scratch: ScratchDirectory
        let dataset: DatasetSpec
        let version: String

        init(rows: Int = 20, script: String, exclude: [String] = []) throws {
            scratch = try ScratchDirectory()
            var lines = ["id,risk,age,sex,income"]
            for i in 0..<rows { lines.append("r\(i),\(i % 2),\(20 + i % 50),\(i % 3 == 0 ? "f" : "m"),\(1000 + 7 * i)") }
            let path = try scratch.write("data.csv", lines.joined(separator: "\n") + "\n")
            var spec = DatasetSpec(
                path: path, displayPath: "data.csv", idColumn: "id", labelColumn: "risk", task: .binary, positive: "1",
                classes: ["0", "1"], location: SourceLocation(file: scratch.url.appendingPathComponent("gate.yml").path, line: 5, column: 3))
            spec.exclude = exclude
            dataset = spec
            try scratch.write("registry/m/1/score.py", script)
            version = scratch.url.appendingPathComponent("registry/m/1").path
        }

        func scorer(_ arguments: [String] = ["python3", "score.py"], timeout: Double = 60, schema: [SchemaColumn] = []) -> CommandScorer {
            var spec = CommandScorerSpec(
                arguments: arguments, workingDirectory: version, location: SourceLocation(file: "\(version)/version.yaml", line: 3, column: 11))
            spec.timeout = timeout
            var model = ModelVersion(
                model: "m", version: "1", directory: version, createdAt: nil, sourceCommit: nil, sourceCommittedAt: nil, tags: [:],
                scorer: .command(spec), artifact: nil, modelCard: nil, aliases: [], location: SourceLocation(file: "\(version)/version.yaml"))
            model.schema = schema
            return CommandScorer(spec: spec, version: model, outputPath: scratch.url.appendingPathComponent("cache/m-1.csv").path)
        }

        /// Every dataset row's prediction, looked up in dataset order as the evaluation pass does.
        func scores(_ stream: any PredictionStream, rows: Int) throws -> [Double] {
            var out: [Double] = []
            for i in 0..<rows {
                let id = Array("r\(i)".utf8)
                let value = try id.withUnsafeBytes { bytes in
                    try stream.prediction(forID: bytes, at: SourceLocation(file: dataset.path, line: i + 2))
                }
                out.append(try #require(value)[0])
            }
            let ids = Set((0..<rows).map { "r\($0)" })
            try stream.finish { ids.contains($0) }
            return out
        }
    }

    /// Answers `age / 100` for each row as it reads it, flushing every line, and keeps the
    /// header it was sent in `header.txt` (in its working directory).
    static let ageScript = """
        import sys
        header = sys.stdin.readline().rstrip("\\n")
        open("header.txt", "w").write(header)
        cols = header.split(",")
        age = cols.index("age") if "age" in cols else None
        print("id,score", flush=True)
        for line in sys.stdin:
            f = line.rstrip("\\n").split(",")
            print(f"{f[0]},{int(f[age]) / 100 if age is not None else 0.5}", flush=True)
        """

    @Test func theProgramReceivesTheIdThenEveryFeatureAndItsAnswerIsJoinedByID() throws {
        let setup = try Setup(script: Self.ageScript)
        let stream = try setup.scorer().predictions(for: setup.dataset)
        let scores = try setup.scores(stream, rows: 20)
        let expected: [Double] = (0..<20).map { (i: Int) -> Double in Double(20 + i % 50) / 100 }
        #expect(scores == expected)
        let header = try String(contentsOfFile: "\(setup.version)/header.txt", encoding: .utf8)
        #expect(header == "id,age,sex,income")
    }

    @Test func declaredSchemaInputsChooseTheFeaturesAndTheirOrder() throws {
        let setup = try Setup(script: Self.ageScript)
        let schema = [SchemaColumn(name: "income", kind: .integer), SchemaColumn(name: "age", kind: .integer)]
        _ = try setup.scores(try setup.scorer(schema: schema).predictions(for: setup.dataset), rows: 20)
        #expect(try String(contentsOfFile: "\(setup.version)/header.txt", encoding: .utf8) == "id,income,age")
    }

    @Test func excludedColumnsAreNotSent() throws {
        let setup = try Setup(script: Self.ageScript, exclude: ["sex"])
        _ = try setup.scores(try setup.scorer().predictions(for: setup.dataset), rows: 20)
        #expect(try String(contentsOfFile: "\(setup.version)/header.txt", encoding: .utf8) == "id,age,income")
    }

    /// 200,000 rows are several megabytes each way, far beyond a pipe's 64 KiB: a scorer that
    /// wrote every row before reading any answer (or the reverse) would block forever against
    /// a program that answers each row as it reads it.
    @Test func rowsAndAnswersStreamBothWaysAtOnce() throws {
        let rows = 200_000
        let setup = try Setup(rows: rows, script: Self.ageScript)
        let scores = try setup.scores(try setup.scorer(timeout: 120).predictions(for: setup.dataset), rows: rows)
        #expect(scores.count == rows)
        #expect(scores[rows - 1] == Double(20 + (rows - 1) % 50) / 100)
    }

    @Test func aNonZeroExitIsAnErrorShowingTheLastStderrLines() throws {
        let script = """
            import sys
            sys.stdin.read()
            for i in range(10): print(f"warning {i}", file=sys.stderr)
            print("ValueError: model file is corrupt", file=sys.stderr)
            sys.exit(3)
            """
        let setup = try Setup(script: script)
        let error = try #require(throws: TollgateError.self) { try setup.scorer().predictions(for: setup.dataset) }
        #expect(error.location?.file == "\(setup.version)/version.yaml")
        #expect(
            error.message
                == "command 'python3 score.py' exited with status 3; its last stderr lines: warning 6 | warning 7 | warning 8 | warning 9 | ValueError: model file is corrupt"
        )
    }

    /// The program starts a grandchild and both hang: the timeout kills the whole process group,
    /// and neither is left running (nor as a zombie).
    @Test func aHangPastTheTimeoutKillsTheProcessGroup() throws {
        let script = """
            import os, subprocess, time
            child = subprocess.Popen(["sleep", "300"])
            open("pids.txt", "w").write(f"{os.getpid()} {child.pid}")
            time.sleep(300)
            """
        let setup = try Setup(script: script)
        let error = try #require(throws: TollgateError.self) { try setup.scorer(timeout: 2).predictions(for: setup.dataset) }
        #expect(error.message == "command 'python3 score.py' did not finish within 2 s; it was killed with its process group")
        let pids = try String(contentsOfFile: "\(setup.version)/pids.txt", encoding: .utf8).split(separator: " ").compactMap { Int32($0) }
        #expect(pids.count == 2)
        for pid in pids { #expect(Self.isGone(pid), "process \(pid) is still there") }
    }

    /// True once `pid` no longer exists (not even as a zombie); the grandchild is reaped by
    /// init, so this waits for that (up to 10 s).
    static func isGone(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            if kill(pid, 0) != 0, errno == ESRCH { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// A program answering with `body` after reading every row.
    static func answering(_ body: String) -> String {
        """
        import sys
        sys.stdin.read()
        sys.stdout.write(\"\"\"\(body)\"\"\")
        """
    }

    static func answer(skipping skip: Int? = nil, extra: String = "", rows: Int = 20) -> String {
        "id,score\n" + (0..<rows).filter { $0 != skip }.map { "r\($0),0.5\n" }.joined() + extra
    }

    @Test func aMissingIDIsAnErrorEvenWhenTheDatasetAllowsMissingIDs() throws {
        var setup = try Setup(script: Self.answering(Self.answer(skipping: 7)))
        var dataset = setup.dataset
        dataset.allowMissingIDs = true
        setup = Setup(scratch: setup.scratch, dataset: dataset, version: setup.version)
        let stream = try setup.scorer().predictions(for: setup.dataset)
        let error = try #require(throws: TollgateError.self) { try setup.scores(stream, rows: 20) }
        #expect(error.message.hasPrefix("no prediction for id 'r7'"), "\(error)")
    }

    @Test func aDuplicateIDIsAnError() throws {
        let setup = try Setup(script: Self.answering(Self.answer(extra: "r3,0.5\n")))
        let stream = try setup.scorer().predictions(for: setup.dataset)
        let error = try #require(throws: TollgateError.self) { try setup.scores(stream, rows: 20) }
        #expect(error.message.hasPrefix("duplicate id 'r3'"), "\(error)")
    }

    @Test func anUnknownIDIsAnError() throws {
        let setup = try Setup(script: Self.answering(Self.answer(extra: "zz,0.5\n")))
        let stream = try setup.scorer().predictions(for: setup.dataset)
        let error = try #require(throws: TollgateError.self) { try setup.scores(stream, rows: 20) }
        #expect(error.message.hasPrefix("id 'zz' is not in the dataset"), "\(error)")
    }

    @Test func malformedOutputIsAnErrorAtItsLineInTheOutput() throws {
        let setup = try Setup(script: Self.answering("id,score\nr0,0.5\nr1,high\n"))
        let error = try #require(throws: TollgateError.self) {
            let stream = try setup.scorer().predictions(for: setup.dataset)
            _ = try setup.scores(stream, rows: 20)
        }
        #expect(error.location?.file.hasSuffix("cache/m-1.csv") == true, "\(error)")
        #expect(error.location?.line == 3)
        #expect(error.message == "expected a probability in column 'score', found 'high'")
    }

    @Test func aProgramThatIsNotThereIsAnErrorAtTheVersion() throws {
        let setup = try Setup(script: Self.ageScript)
        let error = try #require(throws: TollgateError.self) { try setup.scorer(["./missing-scorer"]).predictions(for: setup.dataset) }
        #expect(error.location?.line == 3)
        #expect(error.message == "command './missing-scorer' is not an executable file in \(setup.version) or on PATH")
    }
}

extension CommandScorerTests.Setup {
    init(scratch: ScratchDirectory, dataset: DatasetSpec, version: String) {
        self.scratch = scratch
        self.dataset = dataset
        self.version = version
    }
}
