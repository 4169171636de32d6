import Foundation
import Testing
import TollgateTestSupport

/// The demo registries, trained on German credit by `fixtures/make_fixtures.py`: Tollgate's
/// numbers for every version must equal scikit-learn's, recorded beside the fixtures.
@Suite struct GermanCreditOracleTests {
    struct Demo: Sendable, CustomTestStringConvertible {
        let config: String
        let oracle: String
        var testDescription: String { config }
    }

    static let demos = [
        Demo(config: "demo/tollgate.yml", oracle: "oracle/credit-risk.json"),
        Demo(config: "demo/housing.yml", oracle: "oracle/housing.json"),
        Demo(config: "demo/credit-amount.yml", oracle: "oracle/credit-amount.json")
    ]

    @Test(arguments: demos)
    func everyMetricOfEveryVersionAgreesWithScikitLearn(_ demo: Demo) throws {
        let oracle = try #require(try Fixtures.json(demo.oracle) as? [String: Any])
        let expected = try #require(oracle["values"] as? [String: [String: Any]])
        let dir = try ScratchDirectory()
        // Gate every version against the champion so that each one's metrics are measured.
        let config = try String(contentsOfFile: Fixtures.path(demo.config), encoding: .utf8)
        let versions = expected.keys.sorted()
        let everyVersion = config.replacingOccurrences(
            of: #"candidates:.*"#, with: "candidates: [\(versions.map { "\"\($0)\"" }.joined(separator: ", "))]",
            options: .regularExpression)
        let configPath = Fixtures.path(demo.config).replacingOccurrences(of: ".yml", with: ".all-versions.yml")
        try everyVersion.write(toFile: configPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configPath) }

        let result = try Tool.run(["run", "--config", configPath, "--json", dir.path("run.json")])
        #expect([0, 1, 3].contains(result.exitCode), "\(result.stderr)")
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        let candidates = try #require(report["candidates"] as? [[String: Any]])
        var compared = 0
        for candidate in candidates {
            let version = try #require(candidate["version"] as? String)
            let metrics = try #require(candidate["metrics"] as? [String: Any])
            for (name, value) in try #require(expected[version]) {
                guard let reference = number(value), metrics[name] != nil || reference.isNaN else { continue }
                let ours = metrics[name] is NSNull ? Double.nan : number(metrics[name])
                #expect(agrees(ours, reference), "\(demo.config) v\(version) \(name): tollgate \(ours.map { "\($0)" } ?? "missing"), scikit-learn \(reference)")
                compared += 1
            }
        }
        #expect(compared >= versions.count * 7, "compared \(compared) values")
    }

    @Test func theDemoHoldsTheWorseCandidateAndClearsTheChallenger() throws {
        let dir = try ScratchDirectory()
        let result = try Tool.run(["run", "--config", Fixtures.path("demo/tollgate.yml"), "--json", dir.path("run.json")])
        #expect(result.exitCode == 1, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: dir.path("run.json")))) as? [String: Any])
        let decisions = (report["candidates"] as? [[String: Any]])?.map { "\($0["version"] ?? "?"):\($0["decision"] ?? "?")" }
        #expect(decisions == ["2:pass", "3:fail"])
        let hashJoined = (report["candidates"] as? [[String: Any]])?.last.flatMap { $0["predictions"] as? [String: Any] }?["join"] as? String
        #expect(hashJoined == "hash", "version 3's predictions are shuffled, so they join by hash")
    }

    @Test(arguments: ["demo/housing.yml", "demo/credit-amount.yml"])
    func theOtherDemosPass(_ config: String) throws {
        let result = try Tool.run(["run", "--config", Fixtures.path(config)])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
    }
}
