import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The load's schedule is fixed before the first send: versions alternate slot by slot, the
/// warm-up is sent but not measured, and a Poisson arrival is the same for the same seed.
@Suite struct LoadScheduleTests {
    static func spec(rate: Double, duration: Double, warmup: Double = 0, arrival: LoadSpec.Arrival = .constant) -> LoadSpec {
        var spec = LoadSpec(rate: rate, duration: duration, location: SourceLocation(file: "gate.yml", line: 12, column: 3))
        spec.warmup = warmup
        spec.arrival = arrival
        return spec
    }

    @Test func aConstantArrivalSendsEveryOneOverRateSecondsAndVersionsTakeTurns() {
        let schedule = LoadSchedule(Self.spec(rate: 50, duration: 10), targets: 2, seed: 0)
        #expect(schedule.slots.count == 500)
        for (i, slot) in schedule.slots.enumerated() {
            #expect(slot.time == Double(i) / 50)
            #expect(slot.target == i % 2)
            #expect(slot.request == i / 2)
            #expect(slot.measured)
        }
        #expect(schedule.requests(of: 0) == 250)
        #expect(schedule.requests(of: 1) == 250)
    }

    @Test func theWarmupIsSentFirstAndNotMeasured() {
        let schedule = LoadSchedule(Self.spec(rate: 10, duration: 2, warmup: 1), targets: 1, seed: 0)
        #expect(schedule.slots.count == 30)
        #expect(schedule.slots.filter { !$0.measured }.count == 10)
        let warm = schedule.slots.prefix(10).allSatisfy { !$0.measured }
        #expect(warm)
        let measured = schedule.slots.dropFirst(10).allSatisfy { $0.measured }
        #expect(measured)
    }

    @Test func aPoissonArrivalIsSeededAndAveragesTheRate() {
        let spec = Self.spec(rate: 200, duration: 100, arrival: .poisson)
        let a = LoadSchedule(spec, targets: 3, seed: 7)
        #expect(a == LoadSchedule(spec, targets: 3, seed: 7))
        #expect(a != LoadSchedule(spec, targets: 3, seed: 8))
        // 20,000 exponential gaps: the count has standard deviation sqrt(20,000) ≈ 141.
        #expect(abs(a.slots.count - 20_000) < 5 * 141, "\(a.slots.count) slots")
        #expect(zip(a.slots, a.slots.dropFirst()).allSatisfy { $0.time < $1.time })
        #expect(a.slots.enumerated().allSatisfy { $0.element.target == $0.offset % 3 })
    }

    static func parse(_ block: String) throws -> GateConfig {
        let fixture = GateFixture()
        var text = fixture.files["gate.yml"]!
        text += block
        return try GateConfig.parse(text, file: "gate.yml", baseDirectory: URL(fileURLWithPath: "/tmp"))
    }

    @Test func theLoadBlockIsReadWithItsDefaults() throws {
        let config = try Self.parse("load:\n  rate: 40\n  duration: 1500ms\n  arrival: poisson\n")
        let load = try #require(config.load)
        #expect(load.rate == 40)
        #expect(load.duration == 1.5)
        #expect(load.warmup == 0)
        #expect(load.arrival == .poisson)
        #expect(load.batchSize == 1)
        #expect(load.maxInFlight == 64)
    }

    @Test(arguments: [
        ("load:\n  duration: 20s\n", "missing required key 'load.rate' (e.g. rate: 50, duration: 20s)"),
        ("load:\n  rate: 50\n  duration: soon\n", "expected a duration such as 20s, 500ms or 2m for load.duration, found 'soon'"),
        ("load:\n  rate: -1\n  duration: 2s\n", "expected a rate in requests per second above 0, found -1.0"),
        ("load:\n  rate: 5\n  duration: 2s\n  arrival: poison\n", "unknown arrival 'poison' (did you mean 'poisson'?); expected constant or poisson"),
        ("load:\n  rate: 5\n  duration: 2s\n  max_in_flight: 0\n", "expected between 1 and 10,000 requests in flight, found 0"),
        (
            "load:\n  rate: 5\n  duration: 2s\n  burst: 3\n",
            "unknown key 'burst' in 'load'; expected one of: rate, duration, warmup, arrival, batch_size, max_in_flight"
        )
    ])
    func aBadLoadBlockIsALocatedError(block: String, message: String) throws {
        let error = try #require(throws: TollgateError.self) { try Self.parse(block) }
        #expect(error.location?.file == "gate.yml")
        #expect(error.location?.line != nil)
        #expect(error.message == message)
    }
}
