import Foundation

/// When each request of a load is meant to be sent, and to which version.
///
/// Worked out before the first send, so the schedule does not depend on how the server
/// answers (open loop: a slow answer never delays the next send). Versions take the slots in
/// turn, request by request, so they face the same machine at the same moments.
public struct LoadSchedule: Sendable, Equatable {
    /// One intended send.
    public struct Slot: Sendable, Equatable {
        /// Seconds from the start of the load (warm-up included).
        public var time: Double
        /// Index of the version the slot belongs to.
        public var target: Int
        /// This version's n-th request (0-based): which rows it sends.
        public var request: Int
        /// False during the warm-up.
        public var measured: Bool
    }

    public private(set) var slots: [Slot] = []

    /// - Parameters:
    ///   - targets: how many versions share the schedule.
    ///   - seed: seeds the gaps of a Poisson arrival (`statistics.seed`).
    public init(_ spec: LoadSpec, targets: Int, seed: UInt64) {
        let end = spec.warmup + spec.duration
        var random = SplitMix64(seed: seed)
        var perTarget = [Int](repeating: 0, count: targets)
        var time = 0.0
        var index = 0
        while time < end {
            let target = index % targets
            slots.append(Slot(time: time, target: target, request: perTarget[target], measured: time >= spec.warmup))
            perTarget[target] += 1
            index += 1
            switch spec.arrival {
            case .constant:
                // From the index, not by adding gaps, so no rounding error accumulates.
                time = Double(index) / spec.rate
            case .poisson:
                let u = (Double(random.next() >> 11) + 0.5) * 0x1p-53
                time += -log(u) / spec.rate
            }
        }
    }

    /// Requests each version sends, warm-up included.
    public func requests(of target: Int) -> Int { slots.lazy.filter { $0.target == target }.count }
}
