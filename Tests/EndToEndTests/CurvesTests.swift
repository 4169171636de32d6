import Foundation
import Testing
import TollgateTestSupport

/// The ROC curve and confusion matrix each binary version carries in the JSON, worked out by
/// hand on the ten-row fixture (the same corners scikit-learn's `roc_curve(…,
/// drop_intermediate=False)` gives, and its `confusion_matrix` at the 0.5 threshold).
@Suite("ROC curve and confusion matrix in the report")
struct CurvesTests {
    @Test("challenger: every positive outranks every negative; champion: 3 of 5 positives above 0.5, 1 false alarm")
    func tenRows() throws {
        let scratch = try ScratchDirectory()
        let config = try GateFixture().write(to: scratch)
        let json = scratch.path("run.json")
        let result = try Tool.run(["run", "-c", config, "--json", json, "--no-record", "-q"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let champion = (run["champion"] as! [String: Any])["curves"] as! [String: Any]
        let challenger = ((run["candidates"] as! [[String: Any]])[0])["curves"] as! [String: Any]
        // Scores descending: five positives (0.95 0.85 0.7 0.65 0.6), then five negatives.
        let steps = [0, 0.2, 0.4, 0.6, 0.8, 1]
        let expected = steps.map { [0, $0] } + steps.dropFirst().map { [$0, 1] }
        #expect(challenger["roc"] as? [[Double]] == expected)
        #expect(challenger["confusion"] as? [[Int]] == [[5, 0], [0, 5]])
        // Champion at 0.5: positives 0.9 0.8 0.55 caught, 0.45 0.35 missed; negative 0.6 flagged.
        #expect(champion["confusion"] as? [[Int]] == [[4, 1], [2, 3]])
        // Descending: P.9 P.8 N.6 P.55 P.45 N.4 P.35 N.3 N.2 N.1
        let roc = try #require(champion["roc"] as? [[Double]])
        #expect(roc == [[0, 0], [0, 0.2], [0, 0.4], [0.2, 0.4], [0.2, 0.6], [0.2, 0.8], [0.4, 0.8], [0.4, 1], [0.6, 1], [0.8, 1], [1, 1]])
    }
}

@Suite("Latency distribution in the report")
struct LatencyDistributionTests {
    @Test("the bins cover every request once, from the fastest to the slowest, in order")
    func bins() throws {
        let scratch = try ScratchDirectory()
        let json = scratch.path("run.json")
        _ = try Tool.run(["run", "-c", Fixtures.path("demo/tollgate.yml"), "--json", json, "--no-record", "-q"])
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        for candidate in run["candidates"] as! [[String: Any]] {
            let bins = try #require(candidate["latency_distribution"] as? [[Double]])
            let metrics = candidate["metrics"] as! [String: Any]
            #expect(bins.map { $0[2] }.reduce(0, +) == metrics["requests"] as? Double)
            #expect(zip(bins, bins.dropFirst()).allSatisfy { $0[1] <= $1[0] })
            #expect(bins.last![1] >= metrics["max_ms"] as! Double)
            #expect(bins.count <= 24)
        }
    }
}
