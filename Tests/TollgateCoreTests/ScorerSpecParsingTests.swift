import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// `scorer:` in `version.yaml`: a predictions file, a served model or a program, each key
/// checked where it is written.
@Suite struct ScorerSpecParsingTests {
    /// Version 2's `version.yaml` with `scorer` replaced, read through the directory registry.
    static func version(_ scorer: String) throws -> (Result<ModelVersion, TollgateError>, String) {
        var fixture = GateFixture()
        let file = "registry/credit/2/version.yaml"
        fixture.files[file] = """
            created_at: "2026-02-01T00:00:00Z"
            \(scorer)
            """
        let scratch = try ScratchDirectory()
        try fixture.write(to: scratch, withArtifactDigests: false)
        let registry = DirectoryRegistry(root: scratch.path("registry"))
        let model = try registry.model("credit")
        let result = Result { () throws(TollgateError) in try registry.version("2", of: model, referencedAt: nil) }
        return (result, scratch.path(file))
    }

    static func error(_ scorer: String) throws -> (TollgateError, String) {
        let (result, file) = try version(scorer)
        guard case .failure(let error) = result else { throw SupportError(message: "expected an error for:\n\(scorer)") }
        return (error, file)
    }

    @Test func everyKeyOfAnHttpScorerIsRead() throws {
        let (result, file) = try Self.version(
            """
            scorer:
              http:
                url: http://127.0.0.1:8080/
                protocol: oip-v2
                model: credit-risk-2
                model_version: "1"
                input: {name: input-0, datatype: fp32}
                output: predict_proba
                batch_size: 128
                concurrency: 2
                timeout: 500ms
                ready_timeout: 2m
                headers: {Authorization: "Bearer ${MODEL_TOKEN}", X-Team: risk}
            """)
        let version = try result.get()
        var expected = HTTPScorerSpec(url: "http://127.0.0.1:8080/", inferenceProtocol: .oipV2, location: SourceLocation(file: file, line: 4, column: 5))
        expected.model = "credit-risk-2"
        expected.modelVersion = "1"
        expected.inputName = "input-0"
        expected.inputDatatype = "FP32"
        expected.output = "predict_proba"
        expected.batchSize = 128
        expected.concurrency = 2
        expected.timeout = 0.5
        expected.readyTimeout = 120
        expected.headers = [.init(name: "Authorization", value: "Bearer ${MODEL_TOKEN}"), .init(name: "X-Team", value: "risk")]
        #expect(version.scorer == .http(expected))
    }

    @Test func anHttpScorerHasTheIssuesDefaults() throws {
        let (result, _) = try Self.version("scorer:\n  http: {url: \"http://127.0.0.1:5000\", protocol: mlflow}")
        guard case .http(let spec) = try result.get().scorer else {
            Issue.record("not an http scorer")
            return
        }
        #expect(spec.inferenceProtocol == .mlflow)
        #expect(spec.batchSize == 64)
        #expect(spec.concurrency == 4)
        #expect(spec.timeout == 10)
        #expect(spec.readyTimeout == 30)
        #expect(spec.inputName == "input-0")
        #expect(spec.inputDatatype == "FP64")
        #expect(spec.output == nil)
        #expect(spec.headers.isEmpty)
    }

    @Test func aCommandScorerIsReadWithItsTimeoutAndRunsInTheVersionsFolder() throws {
        let (result, file) = try Self.version("scorer:\n  command: [python3, score.py, --fast]\n  timeout: 10m")
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var expected = CommandScorerSpec(
            arguments: ["python3", "score.py", "--fast"], workingDirectory: folder, location: SourceLocation(file: file, line: 3, column: 12))
        expected.timeout = 600
        #expect(try result.get().scorer == .command(expected))
        let (short, _) = try Self.version("scorer:\n  command: [./score]\n  timeout: 90s")
        guard case .command(let spec) = try short.get().scorer else {
            Issue.record("not a command scorer")
            return
        }
        #expect(spec.timeout == 90)
    }

    @Test(arguments: [
        (
            "scorer:\n  http: {url: http://h:1, protocol: mlflow, concurency: 2}", 3, 45,
            "unknown key 'concurency' in 'scorer.http' (did you mean 'concurrency'?); expected one of: " + ScorerSpec.httpKeys.joined(separator: ", ")
        ),
        (
            "scorer:\n  htp: {url: http://h:1}", 3, 3,
            "unknown key 'htp' in 'scorer' (did you mean 'http'?); expected one of: predictions, http, command, timeout"
        ),
        ("scorer:\n  http: {url: http://h:1, protocol: oipv2}", 3, 37, "unknown protocol 'oipv2' (did you mean 'oip-v2'?); expected one of: oip-v2, mlflow"),
        ("scorer:\n  http: {url: http://h:1, protocol: oip-v2}", 3, 9, "protocol oip-v2 needs 'model:', the served model's name"),
        ("scorer:\n  http: {protocol: mlflow}", 3, 9, "missing required key 'url' (the server's base URL, e.g. http://127.0.0.1:8080)"),
        ("scorer:\n  http: {url: h:1, protocol: mlflow}", 3, 15, "expected an http:// or https:// URL with a host for 'url', found 'h:1'"),
        (
            "scorer:\n  http: {url: http://h:1, protocol: mlflow, model: m}", 3, 52,
            "'model' applies to protocol oip-v2 only; mlflow serves one model at /invocations"
        ),
        (
            "scorer:\n  http: {url: http://h:1, protocol: mlflow, timeout: 10}", 3, 54,
            "expected a duration with its unit for 'scorer.http.timeout', e.g. 500ms, 10s, 2m or 1h, found '10'"
        ),
        ("scorer:\n  http: {url: http://h:1, protocol: mlflow, timeout: 0s}", 3, 54, "expected a timeout longer than zero"),
        ("scorer:\n  http: {url: http://h:1, protocol: mlflow, batch_size: 0}", 3, 57, "expected between 1 and 100000 rows per request, found 0"),
        (
            "scorer:\n  http: {url: http://h:1, protocol: mlflow, headers: {A: \"${1X\"}}", 3, 59,
            "unterminated '${' in '${1X': expected ${NAME}"
        ),
        (
            "scorer:\n  predictions: p.csv\n  command: [x]", 3, 3,
            "expected exactly one scorer: 'predictions: FILE', 'http: {url: ..., protocol: ...}' or 'command: [program, args...]'; found predictions and command"
        ),
        ("scorer:\n  predictions: p.csv\n  timeout: 1m", 4, 12, "'timeout' here is the command scorer's; an http scorer takes 'timeout' inside 'http:'"),
        ("scorer:\n  command: []", 3, 12, "expected the program and its arguments, e.g. command: [python3, score.py]")
    ])
    func aScorerMistakeIsAnErrorAtItsLineAndColumn(yaml: String, line: Int, column: Int, message: String) throws {
        let (error, file) = try Self.error(yaml)
        #expect(error.message == message)
        #expect(error.location == SourceLocation(file: file, line: line, column: column), "\(error)")
    }

    @Test func durationsTakeMillisecondsSecondsMinutesAndHours() throws {
        for (text, seconds) in [("500ms", 0.5), ("10s", 10.0), ("2m", 120.0), ("1h", 3600.0), ("1.5s", 1.5), ("0ms", 0.0)] {
            let node = try YAMLNode.load("t: \(text)", file: "f.yml").fields(allowed: ["t"])["t"]!
            #expect(try node.duration() == seconds, "\(text)")
        }
        for text in ["10", "s", "-1s", "10 sec", "1d"] {
            let node = try YAMLNode.load("t: \(text)", file: "f.yml").fields(allowed: ["t"])["t"]!
            #expect(throws: TollgateError.self, "\(text)") { try node.duration() }
        }
    }
}
