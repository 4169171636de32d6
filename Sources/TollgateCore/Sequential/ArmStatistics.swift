import Foundation

/// The sufficient statistics of one arm of a canary (count, mean, and Welford's M2).
///
/// Why these three numbers: the sequential test needs only each arm's mean and variance, and
/// these can be updated one event at a time, merged across files or shards (Chan et al.), and
/// saved in a few bytes between looks, so a look never rereads old events.
public struct ArmStatistics: Sendable, Equatable, Codable {
    public private(set) var count: Int
    public private(set) var mean: Double
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double

    public init() { (count, mean, m2) = (0, 0, 0) }

    public init(count: Int, mean: Double, m2: Double) { (self.count, self.mean, self.m2) = (count, mean, m2) }

    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init()
        for value in values { add(value) }
    }

    /// Welford's update, stable for long streams of nearly equal values (log latencies).
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
    }

    /// Chan's parallel merge: the statistics of both streams together.
    public mutating func merge(_ other: ArmStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let total = count + other.count
        let delta = other.mean - mean
        mean += delta * Double(other.count) / Double(total)
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / Double(total)
        count = total
    }

    /// The sample variance (n − 1 in the denominator); zero below two values.
    public var sampleVariance: Double { count > 1 ? max(0, m2) / Double(count - 1) : 0 }

    /// The variance of one 0/1 observation, p̃(1 − p̃), with successes and failures each
    /// floored at half a count.
    ///
    /// Why the floor: an arm with no errors yet has p̂ = 0 and a plug-in variance of zero,
    /// which would make the interval collapse to a point and "prove" anything; half a pseudo
    /// count keeps the variance honest until errors are seen.
    public var proportionVariance: Double {
        guard count > 0 else { return 0 }
        let n = Double(count)
        let successes = min(max(mean * n, 0.5), n - 0.5)
        let p = successes / n
        return p * (1 - p)
    }
}
