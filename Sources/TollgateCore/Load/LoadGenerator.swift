import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an open-loop load: each slot of the schedule is sent at its intended time whatever the
/// servers are doing, and each request is timed from that intended time (wrk2's correction of
/// coordinated omission), so a stall shows in the latency of every request that was due
/// during it, not only the one that was in flight.
///
/// One thread keeps the schedule and only hands requests to the targets; completions arrive
/// on the HTTP client's threads and are recorded under a lock.
public enum LoadGenerator {
    /// - Parameters:
    ///   - targets: the versions, in the order they take slots; `names` labels them.
    public static func run(_ spec: LoadSpec, schedule: LoadSchedule, targets: [any LoadTarget], names: [String]) -> LoadResult {
        let state = LoadState(versions: targets.count)
        let group = DispatchGroup()
        let start = Clock.now() + 0.020
        var firstSend = Double.infinity
        var lastSend = -Double.infinity
        var measuredSends = 0
        for slot in schedule.slots {
            let due = start + slot.time
            Clock.sleep(until: due)
            guard state.enter(limit: spec.maxInFlight) else {
                if slot.measured { state.drop(slot.target) }
                continue
            }
            let sent = Clock.now()
            if slot.measured {
                state.sent(slot.target, late: sent - due > LoadSpec.lateAfter)
                firstSend = min(firstSend, sent)
                lastSend = max(lastSend, sent)
                measuredSends += 1
            }
            group.enter()
            targets[slot.target].send(slot.request) { done, error in
                state.complete(slot.target, measured: slot.measured, latency: done - due, service: done - sent, at: done - start, error: error)
                group.leave()
            }
        }
        group.wait()
        // Sends over the time they took, each counted for one schedule gap: exactly the rate
        // when every send left on time.
        let span = lastSend - firstSend + 1 / spec.rate
        let achieved = measuredSends > 0 ? Double(measuredSends) / span : 0
        return LoadResult(spec: spec, versions: Array(zip(names, state.versions)), achievedRate: achieved, started: start)
    }
}

/// The load's counters, shared by the sending thread and the completion callbacks.
final class LoadState: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight = 0
    private(set) var versions: [VersionLoad]

    init(versions count: Int) { versions = Array(repeating: VersionLoad(), count: count) }

    /// Takes an in-flight place; false when all `limit` are taken.
    func enter(limit: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard inFlight < limit else { return false }
        inFlight += 1
        return true
    }

    func drop(_ version: Int) {
        lock.lock()
        versions[version].scheduled += 1
        versions[version].dropped += 1
        lock.unlock()
    }

    func sent(_ version: Int, late: Bool) {
        lock.lock()
        versions[version].scheduled += 1
        versions[version].sent += 1
        if late { versions[version].late += 1 }
        lock.unlock()
    }

    func complete(_ version: Int, measured: Bool, latency: Double, service: Double, at time: Double, error: LoadErrorClass?) {
        lock.lock()
        inFlight -= 1
        if measured { versions[version].record(latency: latency, service: service, completedAt: time, error: error) }
        lock.unlock()
    }
}

/// The monotonic clock, in seconds.
enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Sleeps until `time` (returns at once when it has passed).
    static func sleep(until time: Double) {
        while true {
            let remaining = time - now()
            if remaining <= 0 { return }
            var ts = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - Double(Int(remaining))) * 1e9))
            nanosleep(&ts, nil)
        }
    }
}
