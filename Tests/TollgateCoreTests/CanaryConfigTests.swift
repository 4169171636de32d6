import Foundation
import Testing

@testable import TollgateCore

/// `canary.yml`: checks in the gate's language with `baseline`, margins on the test's scale,
/// and every mistake located at file:line:column.
@Suite struct CanaryConfigTests {
    static let example = """
        model: credit-risk
        baseline: "@champion"
        canary: "@challenger"
        mode: canary
        source:
          events: events.jsonl
        checks:
          - error_rate <= baseline + 0.005
          - mean_ms <= baseline * 1.05
          - mean(score) <= baseline + 0.02
          - accuracy >= baseline - 0.01
          - rate(converted) >= baseline - 0.002 warn
        statistics: {alpha: 0.05, min_samples: 500, max_samples: 200000, max_duration: 30m}
        """

    func parse(_ text: String) throws(TollgateError) -> CanaryConfig {
        try CanaryConfig.parse(text, file: "canary.yml", baseDirectory: URL(fileURLWithPath: "/srv/canary"))
    }

    @Test func theIssuesExampleReadsAsTests() throws {
        let config = try parse(Self.example)
        #expect(config.model == "credit-risk" && config.baseline == "@champion" && config.canary == "@challenger")
        #expect(config.mode == .canary)
        #expect(config.events == "/srv/canary/events.jsonl")
        #expect(config.statistics.maxDuration == 1800 && config.statistics.minSamples == 500 && config.statistics.maxSamples == 200_000)
        #expect(config.checks.map(\.metric) == [.errorRate, .meanMs, .mean("score"), .accuracy, .rate("converted")])
        #expect(config.checks.map(\.badDirection) == [.increase, .increase, .increase, .decrease, .decrease])
        #expect(config.checks[0].margin == 0.005)
        #expect(abs(config.checks[1].margin - log(1.05)) < 1e-15, "a ratio margin becomes log(1.05) on log latency")
        #expect(config.checks[3].margin == -0.01)
        #expect(config.checks[2].check.subject.metric == "mean(score)")
        #expect(config.checks[2].check.source == "mean(score) <= baseline + 0.02")
        #expect(config.checks[4].check.severity == .warn)
        #expect(config.alphaPerCheck == 0.05 / 4, "Bonferroni over the four blocking checks")
    }

    @Test func shadowModeAllowsAnAbsoluteDisagreementRate() throws {
        let config = try parse("model: m\nmode: shadow\nchecks:\n  - disagreement_rate <= 0.02\n")
        #expect(config.checks[0].metric == .disagreementRate && config.checks[0].margin == 0.02)
    }

    @Test(arguments: [
        ("model: m\nchecks:\n  - disagreement_rate <= 0.02\n", "canary.yml:3:5", "mode: shadow"),
        ("model: m\nchecks:\n  - error_rate <= 0.01\n", "canary.yml:3:5", "compare with the baseline"),
        ("model: m\nchecks:\n  - mean_ms <= baseline + 5\n", "canary.yml:3:5", "ratio"),
        ("model: m\nchecks:\n  - p99_ms >= baseline * 0.9\n", "canary.yml:3:5", "latency quantile"),
        ("model: m\nchecks:\n  - eror_rate <= baseline\n", "canary.yml:3:5", "error_rate"),
        ("model: m\nchecks:\n  - error_rate <= champion + 0.01\n", "canary.yml:3:19", "'baseline'"),
        ("model: m\nchecks:\n  - mean(score) <= baseline * 2\n", "canary.yml:3:5", "baseline + D"),
        ("model: m\nchecks:\n  - error_rate <= baseline\nstatistics: {alpha: 2}\n", "canary.yml:4:21", "alpha"),
        ("model: m\nchecks:\n  - error_rate <= baseline\nstatistics: {max_duration: soon}\n", "canary.yml:4:28", "duration"),
        ("model: m\nchecks:\n  - error_rate <= baseline\nstatistics: {min_samples: 300000}\n", "canary.yml:4:27", "must exceed min_samples"),
        ("model: m\nchecks:\n  - error_rate <= baseline\nstatistics: {max_samples: 1000, min_samples: 2000}\n", "canary.yml:4:27", "must exceed min_samples"),
        ("model: m\nchecks:\n  - error_rate <= baseline * baseline * baseline - 3 * baseline * baseline + 3 * baseline\n", "canary.yml:3:5", "on the right"),
        ("model: m\nchecks:\n  - error_rate <= baseline / baseline\n", "canary.yml:3:5", "on the right"),
        ("model: m\nmode: both\nchecks:\n  - error_rate <= baseline\n", "canary.yml:2:7", "canary or shadow"),
        ("model: m\nchecks:\n  - error_rate <= baseline\nsorce: {}\n", "canary.yml:4:1", "unknown key")
    ])
    func mistakesSayWhereAndWhat(_ text: String, _ location: String, _ phrase: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.location?.description == location && error.message.contains(phrase)
        }
    }
}
