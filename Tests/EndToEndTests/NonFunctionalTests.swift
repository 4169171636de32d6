import Foundation
import Testing
import TollgateTestSupport

/// The version as an artefact: size, model card, licence, declared inputs, integrity, coverage.
@Suite struct NonFunctionalTests {
    func run(_ checks: [String], _ change: (inout GateFixture) -> Void = { _ in }, digests: Bool = true) throws -> (ToolResult, [[String: Any]]) {
        let dir = try ScratchDirectory()
        var fixture = GateFixture(checks: ["accuracy >= 0.5"])
        fixture.files["gate.yml"]! += "  nonfunctional:\n" + checks.map { "    - \($0)\n" }.joined()
        change(&fixture)
        let config = try fixture.write(to: dir, withArtifactDigests: digests)
        let result = try Tool.run(["run", "--config", config, "--json", dir.path("run.json")])
        let report = (try? JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json"))))) as? [String: Any]
        let checksOut = ((report?["candidates"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]]) ?? []
        return (result, Array(checksOut.dropFirst()))
    }

    static let card = "# credit v2\n\n## Owners\n- risk@example.com\n\n## Intended use\nReview.\n\n## Training data\nGerman credit.\n\n## Limitations\nSmall.\n"

    @Test func aCompleteCardLicenceSchemaAndDigestPass() throws {
        let (result, checks) = try run(
            ["model_card present", "license in [MIT, apache-2.0]", "schema present", "sha256 present", "artifact_mb <= 0.001", "coverage >= 1"]
        ) { fixture in
            fixture.files["registry/credit/2/MODEL_CARD.md"] = Self.card
            fixture.files["registry/credit/2/version.yaml"]! += "license: mit\nschema:\n  inputs:\n    sex: string\n"
        }
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(checks.map { $0["outcome"] as? String } == Array(repeating: "pass", count: 6))
        // "challenger weights\n" is 19 bytes.
        #expect(number(checks[4]["value"]) == 19.0 / 1_000_000)
    }

    @Test func eachMissingPieceFailsAndSaysWhat() throws {
        let (result, checks) = try run(
            ["model_card present", "license in [mit]", "schema present", "sha256 present"],
            { fixture in
                fixture.files["registry/credit/2/MODEL_CARD.md"] = "# credit v2\n\nOwners: risk@example.com\n\n## Limitations\nSmall.\n"
                fixture.files["registry/credit/2/version.yaml"]! += "artifact:\n  path: model.bin\n"
            }, digests: false)
        #expect(result.exitCode == 1)
        let messages = checks.map { $0["message"] as? String ?? "" }
        #expect(messages[0] == "the model card lacks: intended use, training data")
        #expect(messages[1] == "credit@2 declares no licence (add 'license:' to version.yaml)")
        #expect(messages[2] == "credit@2 declares no input schema")
        #expect(messages[3].contains("declares no sha256"))
    }

    @Test func aSchemaTypeMismatchNamesTheCell() throws {
        let (result, checks) = try run(["schema present"]) { fixture in
            fixture.files["registry/credit/2/version.yaml"]! += "schema:\n  inputs:\n    risk: integer\n    sex: boolean\n    income: number\n"
        }
        #expect(result.exitCode == 1)
        let message = checks.first?["message"] as? String ?? ""
        #expect(message.contains("data.csv:2:6: 'f' in column 'sex' is not a boolean"), "\(message)")
        #expect(message.contains("the dataset has no column 'income'"), "\(message)")
        #expect(!message.contains("'risk'"), "risk holds integers")
    }

    @Test func presenceAndListChecksRefuseOtherShapes() throws {
        let (result, _) = try run(["model_card >= 1"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("write 'model_card present'"))
        let (list, _) = try run(["license present"])
        #expect(list.exitCode == 2)
        #expect(list.stderr.contains("license in [mit, apache-2.0]"))
    }
}
