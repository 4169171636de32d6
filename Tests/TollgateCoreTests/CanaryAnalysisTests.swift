import Foundation
import Testing

@testable import TollgateCore

/// A look combines checks into a verdict: blocking fails roll back, warn checks never decide,
/// and the time horizon turns an undecided check inconclusive.
@Suite struct CanaryAnalysisTests {
    func config(_ checks: String, statistics: String = "{min_samples: 100, max_samples: 100000}", mode: String = "canary") throws -> CanaryConfig {
        try CanaryConfig.parse(
            "model: m\nmode: \(mode)\nchecks:\n\(checks)statistics: \(statistics)\n", file: "canary.yml",
            baseDirectory: URL(fileURLWithPath: "/"), sha256: "abc")
    }

    /// `n` events per arm, one per second, with errors at the given rates (every k-th request).
    func events(perArm n: Int, baselineErrorsEvery: Int, canaryErrorsEvery: Int, fields: [String: Double] = [:]) -> [CanaryEvent] {
        var events: [CanaryEvent] = []
        for i in 0..<n {
            let time = Double(i)
            let baselineLatency = 20 + Double(i % 7)
            let canaryLatency = 20 + Double(i % 5)
            events.append(CanaryEvent(arm: .baseline, time: time, latencyMs: baselineLatency, isError: i % baselineErrorsEvery == 0, fields: fields))
            events.append(CanaryEvent(arm: .canary, time: time, latencyMs: canaryLatency, isError: i % canaryErrorsEvery == 0, fields: fields))
        }
        return events
    }

    @Test func aBlockingRegressionFailsTheLook() throws {
        let config = try config("  - error_rate <= baseline + 0.01\n")
        var state = CanaryState(for: config)
        let verdict = try CanaryAnalysis.look(config: config, events: events(perArm: 4000, baselineErrorsEvery: 100, canaryErrorsEvery: 10), state: &state)
        #expect(verdict.verdict == .fail)
        #expect(verdict.verdict.exitCode == 1)
    }

    @Test func aWarnCheckNeverDecides() throws {
        let config = try config("  - error_rate <= baseline + 0.01 warn\n  - mean_ms <= baseline * 1.5\n")
        var state = CanaryState(for: config)
        let verdict = try CanaryAnalysis.look(config: config, events: events(perArm: 4000, baselineErrorsEvery: 100, canaryErrorsEvery: 10), state: &state)
        #expect(verdict.checks[0].look.outcome == .fail)
        #expect(verdict.verdict == .pass, "the warn check failed, the blocking one passed")
        #expect(config.alphaPerCheck == 0.05)
    }

    @Test func undecidedAtMaxDurationIsInconclusive() throws {
        let checks = "  - error_rate <= baseline + 0.001\n"
        let events = events(perArm: 600, baselineErrorsEvery: 50, canaryErrorsEvery: 50)
        let open = try config(checks)
        var state = CanaryState(for: open)
        #expect(try CanaryAnalysis.look(config: open, events: events, state: &state).verdict == .continue)
        let timed = try config(checks, statistics: "{min_samples: 100, max_samples: 100000, max_duration: 5m}")
        var timedState = CanaryState(for: timed)
        #expect(
            try CanaryAnalysis.look(config: timed, events: events, state: &timedState).verdict == .inconclusive, "600 s of events pass the 5 minute horizon")
    }

    @Test func noEventsIsContinueNotInconclusive() throws {
        let config = try config("  - error_rate <= baseline + 0.01\n")
        var state = CanaryState(for: config)
        let verdict = try CanaryAnalysis.look(config: config, events: [], state: &state)
        #expect(verdict.verdict == .continue)
        #expect(verdict.checks[0].look.reason.contains("no events"))
    }

    @Test func rateNeedsZeroOrOneValues() throws {
        let config = try config("  - rate(converted) >= baseline - 0.01\n")
        var state = CanaryState(for: config)
        #expect(throws: TollgateError.self) {
            try CanaryAnalysis.look(
                config: config, events: events(perArm: 5, baselineErrorsEvery: 2, canaryErrorsEvery: 2, fields: ["converted": 2]), state: &state)
        }
    }

    /// Shadow events for `n` requests: the canary's latency is `ratio` times the baseline's,
    /// and every `disagreeEvery`-th prediction differs.
    func shadowEvents(_ n: Int, ratio: Double, disagreeEvery: Int) -> [CanaryEvent] {
        var events: [CanaryEvent] = []
        for i in 0..<n {
            let latency = 10 + Double(i % 13)
            let prediction = i % 2 == 0 ? "1" : "0"
            let other = i % disagreeEvery == 0 ? (prediction == "1" ? "0" : "1") : prediction
            events.append(CanaryEvent(arm: .baseline, time: Double(i), requestId: "r\(i)", latencyMs: latency, isError: false, prediction: prediction))
            events.append(
                CanaryEvent(
                    arm: .canary, time: Double(i), requestId: "r\(i)", latencyMs: latency * ratio * (1 + 0.01 * Double(i % 3)), isError: false,
                    prediction: other))
        }
        return events
    }

    @Test func shadowModeComparesEachRequestWithItself() throws {
        let config = try config("  - mean_ms <= baseline * 1.05\n  - disagreement_rate <= 0.02\n  - error_rate <= baseline + 0.005\n", mode: "shadow")
        var state = CanaryState(for: config)
        var events = shadowEvents(2000, ratio: 0.97, disagreeEvery: 500)
        events.append(CanaryEvent(arm: .canary, time: 9999, requestId: "late", latencyMs: 10, isError: false))
        let verdict = try CanaryAnalysis.look(config: config, events: events, state: &state)
        #expect(verdict.checks.map(\.look.canaryCount) == [2000, 2000, 2000])
        #expect(abs(try #require(verdict.checks[1].look.estimate) - 4.0 / 2000) < 1e-15, "4 of 2,000 predictions differ")
        #expect(verdict.checks.map(\.look.outcome) == [.pass, .pass, .pass], "no errors on either side is not a zero-width interval, yet passes with a margin")
        #expect(verdict.unpaired == [.canary: 1])
        var late = state
        let next = try CanaryAnalysis.look(
            config: config, events: [CanaryEvent(arm: .baseline, time: 10000, requestId: "late", latencyMs: 10, isError: false)], state: &late)
        #expect(next.unpaired == [:], "the leftover is paired at the next look")
        #expect(next.checks[0].look.canaryCount == 2001)
    }

    @Test func aSlowerShadowFails() throws {
        let config = try config("  - mean_ms <= baseline * 1.05\n", mode: "shadow")
        var state = CanaryState(for: config)
        #expect(try CanaryAnalysis.look(config: config, events: shadowEvents(1000, ratio: 1.2, disagreeEvery: 7), state: &state).verdict == .fail)
    }

    @Test func shadowEventsNeedOneRequestIdPerArm() throws {
        let config = try config("  - mean_ms <= baseline * 1.05\n", mode: "shadow")
        var state = CanaryState(for: config)
        #expect(throws: TollgateError.self) {
            try CanaryAnalysis.look(config: config, events: [CanaryEvent(arm: .canary, time: 1, latencyMs: 3)], state: &state)
        }
        let twice = [CanaryEvent(arm: .canary, time: 1, requestId: "a", latencyMs: 3), CanaryEvent(arm: .canary, time: 2, requestId: "a", latencyMs: 3)]
        #expect(throws: TollgateError.self) { try CanaryAnalysis.look(config: config, events: twice, state: &state) }
    }

    /// `n` events per arm whose latencies cycle through 1…100 ms, the canary's scaled by `ratio`.
    func latencyEvents(perArm n: Int, ratio: Double) -> [CanaryEvent] {
        var events: [CanaryEvent] = []
        for i in 0..<n {
            let latency = Double(i % 100 + 1)
            events.append(CanaryEvent(arm: .baseline, time: Double(i), latencyMs: latency))
            events.append(CanaryEvent(arm: .canary, time: Double(i), latencyMs: latency * ratio))
        }
        return events
    }

    @Test func aQuantileCheckFreezesTheBaselinesQuantileAfterBurnIn() throws {
        let config = try config("  - p95_ms <= baseline * 1.10\n", statistics: "{min_samples: 200, max_samples: 100000}")
        #expect(config.checks[0].margin == 0)
        var state = CanaryState(for: config)
        let early = try CanaryAnalysis.look(config: config, events: latencyEvents(perArm: 150, ratio: 1), state: &state)
        #expect(early.verdict == .continue)
        #expect(early.checks[0].look.reason.contains("burn-in"))
        #expect(state.checks[0].burnInBaseline.count == 150)
        _ = try CanaryAnalysis.look(config: config, events: latencyEvents(perArm: 50, ratio: 1), state: &state)
        // The 200 baseline latencies 1…100, 1…50, 1…50: np.percentile(…, 95) is 90.05; L = 1.1 × that.
        #expect(abs(try #require(state.checks[0].threshold) - 90.05 * 1.1) < 1e-9)
        #expect(abs(try #require(state.checks[0].baselineQuantile) - 90.05) < 1e-9)
        // The burn-in baseline made Q̂ and is not counted; the burn-in canary is.
        #expect(state.checks[0].burnInBaseline.isEmpty && state.checks[0].canary.count == 200 && state.checks[0].baseline.count == 0)
        _ = try CanaryAnalysis.look(config: config, events: latencyEvents(perArm: 100, ratio: 1), state: &state)
        // Later baseline latencies 1…100 are counted above Q̂ = 90.05: 10 of 100.
        #expect(state.checks[0].baseline.count == 100 && abs(state.checks[0].baseline.mean - 0.1) < 1e-12)
    }

    @Test func aShadowQuantileCheckPairsExceedancesAfterBurnIn() throws {
        let config = try config("  - p95_ms <= baseline * 1.10\n", statistics: "{min_samples: 100, max_samples: 100000}", mode: "shadow")
        var state = CanaryState(for: config)
        var events: [CanaryEvent] = []
        for i in 0..<300 {
            let latency = Double(i % 100 + 1)
            events.append(CanaryEvent(arm: .baseline, time: Double(i), requestId: "r\(i)", latencyMs: latency))
            events.append(CanaryEvent(arm: .canary, time: Double(i), requestId: "r\(i)", latencyMs: latency))
        }
        _ = try CanaryAnalysis.look(config: config, events: events, state: &state)
        // 100 pairs of burn-in (dropped), then 200 pairs: baseline above Q̂ = 95.05 are 96…100
        // (10 of 200); canary above L = 104.555: none. Mean difference −0.05.
        #expect(state.checks[0].paired.count == 200)
        #expect(abs(state.checks[0].paired.mean + 0.05) < 1e-12)
    }

    @Test(arguments: [(1.0, CanaryVerdict.Verdict.pass), (1.5, .fail)])
    func aQuantileCheckPassesALikeCanaryAndFailsASlowOne(_ ratio: Double, _ expected: CanaryVerdict.Verdict) throws {
        let config = try config("  - p95_ms <= baseline * 1.10\n", statistics: "{min_samples: 200, max_samples: 100000}")
        var state = CanaryState(for: config)
        let verdict = try CanaryAnalysis.look(config: config, events: latencyEvents(perArm: 3000, ratio: ratio), state: &state)
        #expect(verdict.verdict == expected, "\(verdict.checks[0].look.reason)")
    }

    @Test func accuracyCountsOnlyLabelledEventsAndMeanReadsAField() throws {
        let config = try config("  - accuracy >= baseline - 0.01\n  - mean(score) <= baseline + 0.02\n")
        var state = CanaryState(for: config)
        let events = [
            CanaryEvent(arm: .baseline, time: 1, prediction: "1", label: "1", fields: ["score": 0.5]),
            CanaryEvent(arm: .baseline, time: 2, prediction: "1", fields: ["score": 0.7]),
            CanaryEvent(arm: .canary, time: 3, prediction: "0", label: "1", fields: ["score": 0.2]),
            CanaryEvent(arm: .canary, time: 4, prediction: "1", label: "1")
        ]
        let verdict = try CanaryAnalysis.look(config: config, events: events, state: &state)
        #expect(state.checks[0].baseline == ArmStatistics([1]) && state.checks[0].canary == ArmStatistics([0, 1]))
        #expect(state.checks[1].baseline == ArmStatistics([0.5, 0.7]) && state.checks[1].canary == ArmStatistics([0.2]))
        #expect(verdict.verdict == .continue, "four events are far below min_samples: look again")
    }

    @Test func aConfigWithOnlyWarnChecksIsRefused() {
        #expect(throws: TollgateError.self) { try config("  - error_rate <= baseline + 0.01 warn\n") }
    }

    @Test(arguments: ["count", "m2", "rho", "p_value", "byte"])
    func aCorruptStateIsRefusedNamingItsPath(_ field: String) throws {
        let config = try config("  - error_rate <= baseline + 0.01\n")
        var state = CanaryState(for: config)
        switch field {
        case "count": state.checks[0].baseline = ArmStatistics(count: -3, mean: 0, m2: 0)
        case "m2": state.checks[0].canary = ArmStatistics(count: 3, mean: 0, m2: -1)
        case "rho": state.checks[0].sequential.rho = 0
        case "p_value": state.checks[0].sequential.pValue = 1.5
        default: state.positions["/e.jsonl"] = CanaryEventReader.Position(byte: -1, line: 0)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(field)-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try state.save(path: path)
        #expect {
            _ = try CanaryState.load(path: path, for: config)
        } throws: { error in
            guard let error = error as? TollgateError else { return false }
            return error.location?.file == path && error.message.contains("corrupt")
        }
    }

    @Test func nonFiniteNumbersAreJSONNullAndTheExitCodeIsTheOneGiven() throws {
        let look = SequentialLook(
            outcome: .inconclusive, reason: "r", estimate: .infinity, baselineCount: 1, canaryCount: 1,
            lower: -.infinity, upper: .nan, pValue: .nan)
        let verdict = CanaryVerdict(verdict: .inconclusive, looks: 1, checks: [.init(expression: "e", severity: .block, look: look)], unpaired: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(verdict.json(exitCode: 1))) as? [String: Any])
        #expect(object["exit_code"] as? Int == 1)
        let check = try #require((object["checks"] as? [[String: Any]])?.first)
        #expect(check["estimate"] is NSNull && check["p_value"] is NSNull)
        #expect((check["interval"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
    }
}
