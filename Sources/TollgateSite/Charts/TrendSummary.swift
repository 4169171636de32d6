import TollgateStore

/// What a trend chart draws of a history of any length. Up to `rawLimit` candidate values are
/// drawn one by one; past that, one min–median–max band per bucket of ISO weeks (one week, or as
/// many as keep the buckets under `maxBuckets`), so a chart's size is bounded by the buckets, not
/// by the runs. The champion's step line keeps its last value per bucket when it is that long.
struct TrendSummary {
    struct Point: Equatable {
        var at: Int64
        var version: String
        var value: Double
    }

    struct Band: Equatable {
        /// Monday 00:00 UTC of the bucket's first week.
        var start: Int64
        var weeks: Int64
        var count: Int
        var min: Double
        var median: Double
        var max: Double
        /// Where the band is drawn: the middle of its time span.
        var at: Int64 { start + weeks * 7 * 86_400_000 / 2 }
    }

    static let rawLimit = 200
    static let maxBuckets: Int64 = 52

    var points: [Point] = []
    var bands: [Band] = []
    var champion: [Point] = []
    var weeksPerBand: Int64 = 1
    var summarised: Bool { !bands.isEmpty }

    init(candidates: [Point], champion: [Point]) {
        let candidates = candidates.filter(\.value.isFinite).sorted { ($0.at, $0.version) < ($1.at, $1.version) }
        let champion = champion.filter(\.value.isFinite).sorted { $0.at < $1.at }
        let times = (candidates + champion).map(\.at)
        guard let first = times.min(), let last = times.max() else { return }
        let firstWeek = Instant(milliseconds: first).isoWeek
        let lastWeek = Instant(milliseconds: last).isoWeek
        weeksPerBand = Swift.max(1, (lastWeek - firstWeek + Self.maxBuckets) / Self.maxBuckets)
        func bucket(_ t: Int64) -> Int64 { (Instant(milliseconds: t).isoWeek - firstWeek) / weeksPerBand }
        if candidates.count <= Self.rawLimit {
            points = candidates
        } else {
            var grouped: [Int64: [Double]] = [:]
            for p in candidates { grouped[bucket(p.at), default: []].append(p.value) }
            bands = grouped.keys.sorted().map { b in
                let values = grouped[b]!.sorted()
                return Band(
                    start: Instant.startOfISOWeek(firstWeek + b * weeksPerBand).milliseconds, weeks: weeksPerBand, count: values.count,
                    min: values.first!, median: Self.median(values), max: values.last!)
            }
        }
        if champion.count <= Self.rawLimit {
            self.champion = Self.changes(champion)
        } else {
            var lastOfBucket: [Int64: Point] = [:]
            for p in champion { lastOfBucket[bucket(p.at)] = p }
            self.champion = Self.changes(lastOfBucket.keys.sorted().map { lastOfBucket[$0]! })
        }
    }

    /// The median of sorted values: the middle one, or the mean of the middle two.
    static func median(_ sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// A step line needs a vertex only where the value changes, plus the last one (its end).
    static func changes(_ points: [Point]) -> [Point] {
        var out: [Point] = []
        for (i, p) in points.enumerated() where i == 0 || i == points.count - 1 || p.value != points[i - 1].value || p.version != points[i - 1].version {
            out.append(p)
        }
        return out
    }
}
