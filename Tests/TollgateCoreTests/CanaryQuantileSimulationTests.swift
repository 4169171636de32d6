import Foundation
import Testing

@testable import TollgateCore

/// Seeded null simulation of a quantile check with no slack: a canary whose latencies come from
/// the baseline's own distribution must fail at most α (+ 2 SE) of the time over many looks.
@Suite struct CanaryQuantileSimulationTests {
    /// 500 canaries, `p99_ms <= baseline`, both arms exponential with mean 50 ms, min_samples
    /// 200, 20 looks of 200 requests per arm. Before the two-sample comparison (the canary's
    /// share above a 200-latency p99 tested against exactly 1%) most of these canaries failed.
    @Test func identicalLatenciesFailAQuantileCheckAtMostAlpha() throws {
        let (canaries, looks, batch, alpha) = (500, 20, 200, 0.05)
        let config = try CanaryConfig.parse(
            "model: m\nchecks:\n  - p99_ms <= baseline\nstatistics: {alpha: \(alpha), min_samples: \(batch), max_samples: \(looks * batch)}\n",
            file: "canary.yml", baseDirectory: URL(fileURLWithPath: "/"), sha256: "abc")
        var random = SplitMix64(seed: 2026)
        func latency() -> Double { -log(Double((random.next() >> 11) + 1) * 0x1p-53) * 50 }
        var fails = 0
        var passes = 0
        for _ in 0..<canaries {
            var state = CanaryState(for: config)
            var time = 0.0
            for _ in 0..<looks {
                var events: [CanaryEvent] = []
                events.reserveCapacity(2 * batch)
                for _ in 0..<batch {
                    time += 1
                    events.append(CanaryEvent(arm: .baseline, time: time, latencyMs: latency()))
                    events.append(CanaryEvent(arm: .canary, time: time, latencyMs: latency()))
                }
                let verdict = try CanaryAnalysis.look(config: config, events: events, state: &state).verdict
                if verdict == .fail {
                    fails += 1
                    break
                }
                if verdict == .pass {
                    passes += 1
                    break
                }
            }
        }
        let rate = Double(fails) / Double(canaries)
        let bound = alpha + 2 * (alpha * (1 - alpha) / Double(canaries)).squareRoot()
        print("quantile null (\(canaries) canaries × \(looks) looks, p99_ms <= baseline): false-fail rate \(rate) (bound \(bound)); passed \(passes)")
        #expect(rate <= bound)
    }
}
