import Foundation
import Testing
import TollgateTestSupport

/// The fail-closed promise: every input the gate cannot evaluate ends in exit 2 and one message
/// that names the file, the line (and column where there is one) and what was expected.
/// None of them may ever exit 0.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Changes one thing in an otherwise valid gate.
        let breakIt: @Sendable (inout GateFixture) -> Void
        /// The file the message must point at, and `:line` or `:line:column` after it.
        let file: String
        let position: String
        let says: String
        var testDescription: String { name }
    }

    static func replacing(_ path: String, _ old: String, _ new: String) -> @Sendable (inout GateFixture) -> Void {
        { fixture in fixture.files[path] = fixture.files[path]!.replacingOccurrences(of: old, with: new) }
    }

    static let cases: [Case] = [
        Case(
            name: "malformed YAML", breakIt: replacing("gate.yml", "candidates: [\"@challenger\"]", "candidates: [\"@challenger\""),
            file: "gate.yml", position: ":5:", says: "malformed YAML"),
        Case(
            name: "unknown metric", breakIt: replacing("gate.yml", "accuracy >= 0.5", "acuracy >= 0.5"),
            file: "gate.yml", position: ":15:7", says: "unknown metric 'acuracy' (did you mean 'accuracy'?)"),
        Case(
            name: "check that does not parse", breakIt: replacing("gate.yml", "accuracy >= 0.5", "accuracy >= 0.5 maybe"),
            file: "gate.yml", position: ":15:23", says: "expected the end of the check"),
        Case(
            name: "unknown config key", breakIt: replacing("gate.yml", "  label: risk", "  lable: risk"),
            file: "gate.yml", position: ":8:3", says: "unknown key 'lable' in 'dataset' (did you mean 'label'?)"),
        Case(
            name: "unknown task", breakIt: replacing("gate.yml", "task: binary", "task: binray"),
            file: "gate.yml", position: ":9:9", says: "unknown task 'binray'"),
        Case(
            name: "unknown alias", breakIt: replacing("gate.yml", "@challenger", "@challanger"),
            file: "gate.yml", position: ":4:15", says: "unknown alias '@challanger' for model 'credit' (did you mean 'challenger'?)"),
        Case(
            name: "unknown version", breakIt: replacing("gate.yml", "\"@challenger\"", "\"7\""),
            file: "gate.yml", position: ":4:15", says: "version '7' of model 'credit' not found"),
        Case(
            name: "missing column", breakIt: replacing("data.csv", "id,risk,sex", "id,label,sex"),
            file: "data.csv", position: ":1", says: "missing column 'risk' (dataset.label)"),
        Case(
            name: "missing sensitive column", breakIt: replacing("gate.yml", "sensitive: [sex]", "sensitive: [gender]"),
            file: "data.csv", position: ":1", says: "missing column 'gender'"),
        Case(
            name: "ragged CSV row", breakIt: replacing("data.csv", "a3,1,m", "a3,1,m,extra"),
            file: "data.csv", position: ":4", says: "ragged row: expected 3 fields as in the header, found 4"),
        Case(
            name: "non-numeric score", breakIt: replacing("registry/credit/2/predictions.csv", "a3,0.7", "a3,high"),
            file: "registry/credit/2/predictions.csv", position: ":4:4", says: "expected a probability in column 'score', found 'high'"),
        Case(
            name: "NaN score", breakIt: replacing("registry/credit/2/predictions.csv", "a3,0.7", "a3,NaN"),
            file: "registry/credit/2/predictions.csv", position: ":4:4", says: "found 'NaN'"),
        Case(
            name: "empty score", breakIt: replacing("registry/credit/2/predictions.csv", "a3,0.7", "a3,"),
            file: "registry/credit/2/predictions.csv", position: ":4:4", says: "found ''"),
        Case(
            name: "probability above one", breakIt: replacing("registry/credit/1/predictions.csv", "a5,0.8", "a5,1.3"),
            file: "registry/credit/1/predictions.csv", position: ":6:4", says: "expected a probability between 0 and 1 in column 'score', found 1.3"),
        Case(
            name: "negative probability", breakIt: replacing("registry/credit/1/predictions.csv", "a5,0.8", "a5,-0.1"),
            file: "registry/credit/1/predictions.csv", position: ":6:4", says: "between 0 and 1"),
        Case(
            name: "label outside the declared classes", breakIt: replacing("data.csv", "a4,0,f", "a4,2,f"),
            file: "data.csv", position: ":5:4", says: "label '2' in column 'risk' is not one of the declared classes: 0, 1"),
        Case(
            name: "empty dataset", breakIt: { $0.files["data.csv"] = "id,risk,sex\n" },
            file: "data.csv", position: ":2", says: "the dataset has a header but no rows"),
        Case(
            name: "empty dataset file", breakIt: { $0.files["data.csv"] = "" },
            file: "data.csv", position: ":1:1", says: "the file is empty"),
        Case(
            name: "missing predictions file", breakIt: replacing("registry/credit/2/version.yaml", "predictions: predictions.csv", "predictions: preds.csv"),
            file: "registry/credit/2/version.yaml", position: ":7:16", says: "predictions file not found"),
        Case(
            name: "predictions without rows", breakIt: { $0.files["registry/credit/2/predictions.csv"] = "id,score\n" },
            file: "registry/credit/2/predictions.csv", position: ":2", says: "has a header but no rows"),
        Case(
            name: "predictions without a score column", breakIt: replacing("registry/credit/2/predictions.csv", "id,score", "id,prob"),
            file: "registry/credit/2/predictions.csv", position: ":1", says: "missing column 'score'"),
        Case(
            name: "sha256 mismatch",
            breakIt: { $0.files["registry/credit/2/version.yaml"]! += "artifact:\n  path: model.bin\n  sha256: \(String(repeating: "ab", count: 32))\n" },
            file: "registry/credit/2/version.yaml", position: ":9:9", says: "sha256 mismatch for the artifact of credit@2"),
        Case(
            name: "missing artifact", breakIt: { $0.files["registry/credit/2/version.yaml"]! += "artifact:\n  path: gone.bin\n" },
            file: "registry/credit/2/version.yaml", position: ":9:9", says: "artifact of credit@2 not found"),
        Case(
            name: "id missing from predictions", breakIt: replacing("registry/credit/2/predictions.csv", "a7,0.6\n", ""),
            file: "data.csv", position: ":8:1", says: "no prediction for id 'a7'"),
        Case(
            name: "extra id in predictions", breakIt: { $0.files["registry/credit/2/predictions.csv"]! += "zz,0.5\n" },
            file: "registry/credit/2/predictions.csv", position: ":12", says: "id 'zz' is not in the dataset"),
        Case(
            name: "duplicate id in the dataset", breakIt: replacing("data.csv", "a9,1,f", "a2,1,f"),
            file: "data.csv", position: ":10:1", says: "duplicate id 'a2' in the dataset"),
        Case(
            name: "duplicate id in predictions", breakIt: { $0.files["registry/credit/1/predictions.csv"]! += "a4,0.5\n" },
            file: "registry/credit/1/predictions.csv", position: ":12", says: "duplicate id 'a4' in the predictions file"),
        Case(
            name: "registry folder missing", breakIt: replacing("gate.yml", "registry: registry", "registry: nowhere"),
            file: "gate.yml", position: ":2:11", says: "registry not found"),
        Case(
            name: "unterminated quote in the dataset", breakIt: replacing("data.csv", "a10,0,m", "a10,0,\"m"),
            file: "data.csv", position: ":11:7", says: "unterminated quoted field"),
        // Issue #15: files a config names that cannot be opened point at the config line.
        Case(
            name: "dataset.path missing", breakIt: replacing("gate.yml", "path: data.csv", "path: gone.csv"),
            file: "gate.yml", position: ":6:9", says: "gone.csv': cannot open: No such file or directory"),
        Case(
            name: "dataset.path is a folder", breakIt: replacing("gate.yml", "path: data.csv", "path: registry"),
            file: "gate.yml", position: ":6:9", says: "dataset.path '"),
        Case(
            name: "predictions path is a folder", breakIt: replacing("registry/credit/2/version.yaml", "predictions: predictions.csv", "predictions: ."),
            file: "registry/credit/2/version.yaml", position: ":7:16", says: "expected a file, found a directory"),
        Case(
            name: "dataset.reference missing",
            breakIt: { fixture in
                fixture.files["gate.yml"] = fixture.files["gate.yml"]!
                    .replacingOccurrences(of: "  sensitive: [sex]\n", with: "  sensitive: [sex]\n  reference: gone.csv\n")
                    .replacingOccurrences(of: "checks:\n", with: "checks:\n  drift:\n    - drifted_share < 0.5\n")
            },
            file: "gate.yml", position: ":12:14", says: "dataset.reference '"),
        Case(
            name: "latency samples missing",
            breakIt: { fixture in
                fixture.files["gate.yml"]! += "  latency:\n    - p95_ms <= 100\n"
                fixture.files["registry/credit/2/version.yaml"]! += "latency:\n  samples: gone.csv\n"
            },
            file: "registry/credit/2/version.yaml", position: ":9:12", says: "latency.samples '"),
        // Issue #15: the check shapes that crashed the parser (SIGSEGV) are located errors.
        Case(
            name: "7,000 nested parentheses",
            breakIt: replacing(
                "gate.yml", "accuracy >= 0.5", "accuracy >= " + String(repeating: "(", count: 7000) + "0.5" + String(repeating: ")", count: 7000)),
            file: "gate.yml", position: ":15:83", says: "check nests deeper than 64 levels"),
        Case(
            name: "9,000 unary minus", breakIt: replacing("gate.yml", "accuracy >= 0.5", "accuracy >= " + String(repeating: "-", count: 9000) + "0.5"),
            file: "gate.yml", position: ":15:83", says: "check nests deeper than 64 levels"),
        Case(
            name: "7,000 nested min(",
            breakIt: replacing(
                "gate.yml", "accuracy >= 0.5", String(repeating: "min(", count: 7000) + "recall[sex]" + String(repeating: ")", count: 7000) + " >= 0.5"),
            file: "gate.yml", position: ":15:266", says: "check nests deeper than 64 levels"),
        Case(
            name: "a flat chain of 88,000 champions",
            breakIt: replacing("gate.yml", "accuracy >= 0.5", "accuracy >= champion" + String(repeating: " + champion", count: 88_000)),
            file: "gate.yml", position: ":15:2835", says: "check has more than 256 terms"),
        Case(
            name: "YAML nested 20,000 deep",
            breakIt: replacing("gate.yml", "model: credit", "model: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)),
            file: "gate.yml", position: ":1:", says: "YAML nests deeper than 64 levels"),
        Case(
            name: "metric of another task", breakIt: replacing("gate.yml", "accuracy >= 0.5", "rmse <= 0.5"),
            file: "gate.yml", position: ":15:7", says: "'rmse' does not apply to a binary task")
    ]

    @Test(arguments: cases)
    func exitsTwoAndSaysWhere(_ c: Case) throws {
        let dir = try ScratchDirectory()
        var fixture = GateFixture()
        c.breakIt(&fixture)
        let config = try fixture.write(to: dir)
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")])
        #expect(result.exitCode == 2, "\(c.name): exit \(result.exitCode)\n\(result.stdout)\(result.stderr)")
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.hasPrefix("error: \(dir.path(c.file))\(c.position)"), "\(c.name): \(message)")
        #expect(message.contains(c.says), "\(c.name): \(message)")
        #expect(message.split(separator: "\n").count == 1, "one message: \(message)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("run.json")), "no report for a run that could not decide")
    }

    struct ByteCase: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String
        /// Rewrites the file's bytes in an otherwise valid gate.
        let breakIt: @Sendable ([UInt8]) throws -> [UInt8]
        /// A regular expression the message must match right after `error: FILE`.
        let position: String
        let says: String
        var testDescription: String { name }
    }

    static func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = try ScratchDirectory()
        try dir.write("x", bytes: bytes)
        return Array(try Data(contentsOf: URL(fileURLWithPath: try dir.gzip("x"))))
    }

    static let byteCases: [ByteCase] = [
        ByteCase(
            name: "a config that is not UTF-8", file: "gate.yml",
            breakIt: { bytes in
                Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "model: credit", with: "model: cr\u{1}dit").utf8).map {
                    $0 == 1 ? 0xE9 : $0
                }
            }, position: ":1:10: ", says: "the config file is not UTF-8 text: byte 9 (0xE9)"),
        ByteCase(
            name: "a truncated gzip dataset", file: "data.csv",
            breakIt: { bytes in
                Array(try gzipped(bytes).dropLast(30))
            }, position: ":[0-9]+: ", says: "truncated gzip data: the file ends inside a compressed stream after"),
        ByteCase(
            name: "a corrupt gzip dataset", file: "data.csv",
            breakIt: { bytes in
                var gz = try gzipped(bytes)
                for i in 20..<min(gz.count - 8, 40) { gz[i] ^= 0x5A }
                return gz
            }, position: ":[0-9]+: ", says: "corrupt gzip data at compressed byte"),
        ByteCase(
            name: "a corrupt gzip predictions file", file: "registry/credit/2/predictions.csv",
            breakIt: { bytes in
                var gz = try gzipped(bytes)
                gz[gz.count - 6] ^= 0xFF // the CRC-32 trailer: the data inflates, the check fails
                return gz
            }, position: ":[0-9]+: ", says: "gzip data")
    ]

    @Test(arguments: byteCases)
    func bytesExitTwoAndSayWhere(_ c: ByteCase) throws {
        let dir = try ScratchDirectory()
        let config = try GateFixture().write(to: dir)
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: dir.path(c.file))))
        try dir.write(c.file, bytes: try c.breakIt(original))
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")])
        #expect(result.exitCode == 2, "\(c.name): exit \(result.exitCode)\n\(result.stdout)\(result.stderr)")
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let pattern = "^error: " + NSRegularExpression.escapedPattern(for: dir.path(c.file)) + c.position
        #expect(message.range(of: pattern, options: .regularExpression) != nil, "\(c.name): \(message)")
        #expect(message.contains(c.says), "\(c.name): \(message)")
        #expect(message.split(separator: "\n").count == 1, "one message: \(message)")
    }

    @Test("validate refuses the crash shapes too: exit 2, a located message, no signal")
    func validateDoesNotCrash() throws {
        let dir = try ScratchDirectory()
        var fixture = GateFixture()
        fixture.files["gate.yml"] = fixture.files["gate.yml"]!.replacingOccurrences(
            of: "accuracy >= 0.5", with: "accuracy >= " + String(repeating: "(", count: 7000) + "0.5" + String(repeating: ")", count: 7000))
        let result = try Tool.run(["validate", "--config", try fixture.write(to: dir)])
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(dir.path("gate.yml")):15:83: check nests deeper than 64 levels"), "\(result.stderr)")
    }

    @Test func theUnbrokenFixturePasses() throws {
        let dir = try ScratchDirectory()
        let result = try Tool.run(["run", "--config", try GateFixture().write(to: dir)])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func aMissingConfigFileIsAnError() throws {
        let result = try Tool.run(["run", "--config", "/nonexistent/tollgate.yml"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.hasPrefix("error: /nonexistent/tollgate.yml: cannot read the config file"))
    }

    @Test(arguments: [["run", "--confg", "x.yml"], ["frobnicate"], ["run", "--json"]])
    func usageErrorsExitTwoNotSixtyFour(_ arguments: [String]) throws {
        let result = try Tool.run(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.exitCode) \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}
