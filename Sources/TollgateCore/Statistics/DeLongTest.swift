/// DeLong's test for two correlated ROC AUCs on the same rows (Sun & Xu's fast form).
///
/// Structural components come from midranks: for positive i, V10 = (Tz − Tx)/n; for negative
/// j, V01 = 1 − (Tz − Ty)/m. Their sample covariances (ddof 1) give the variance of the AUC
/// difference; p is two-sided, 2·Φ(−|z|).
public struct DeLongTest: Sendable, Equatable, Codable {
    public var aucCandidate: Double
    public var aucChampion: Double
    /// [[var candidate, cov], [cov, var champion]]
    public var covariance: [[Double]]
    public var z: Double
    public var pValue: Double

    enum CodingKeys: String, CodingKey {
        case covariance, z
        case aucCandidate = "auc_candidate"
        case aucChampion = "auc_champion"
        case pValue = "p_value"
    }

    /// z and p are NaN for identical versions (zero variance); JSON gets null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(aucCandidate, forKey: .aucCandidate)
        try c.encode(aucChampion, forKey: .aucChampion)
        try c.encode(covariance, forKey: .covariance)
        try c.encode(JSONNumber.finite(z), forKey: .z)
        try c.encode(JSONNumber.finite(pValue), forKey: .pValue)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        aucCandidate = try c.decode(Double.self, forKey: .aucCandidate)
        aucChampion = try c.decode(Double.self, forKey: .aucChampion)
        covariance = try c.decode([[Double]].self, forKey: .covariance)
        z = try c.decodeIfPresent(Double.self, forKey: .z) ?? .nan
        pValue = try c.decodeIfPresent(Double.self, forKey: .pValue) ?? .nan
    }

    /// Nil when a class has fewer than two rows (the covariances need ddof 1).
    public init?(labels: [Bool], candidate: [Double], champion: [Double]) {
        let positives = labels.indices.filter { labels[$0] }
        let negatives = labels.indices.filter { !labels[$0] }
        let m = Double(positives.count)
        let n = Double(negatives.count)
        guard positives.count >= 2, negatives.count >= 2 else { return nil }
        func components(_ scores: [Double]) -> (auc: Double, v10: [Double], v01: [Double]) {
            let x = positives.map { scores[$0] }
            let y = negatives.map { scores[$0] }
            let tx = Self.midranks(x)
            let ty = Self.midranks(y)
            let tz = Self.midranks(x + y)
            let v10 = x.indices.map { (tz[$0] - tx[$0]) / n }
            let v01 = y.indices.map { 1 - (tz[x.count + $0] - ty[$0]) / m }
            let auc = tz[0..<x.count].reduce(0, +) / (m * n) - (m + 1) / (2 * n)
            return (auc, v10, v01)
        }
        let a = components(candidate)
        let b = components(champion)
        func cov(_ p: [Double], _ q: [Double]) -> Double {
            let mp = p.reduce(0, +) / Double(p.count)
            let mq = q.reduce(0, +) / Double(q.count)
            return zip(p, q).reduce(0.0) { $0 + ($1.0 - mp) * ($1.1 - mq) } / Double(p.count - 1)
        }
        let s11 = cov(a.v10, a.v10) / m + cov(a.v01, a.v01) / n
        let s22 = cov(b.v10, b.v10) / m + cov(b.v01, b.v01) / n
        let s12 = cov(a.v10, b.v10) / m + cov(a.v01, b.v01) / n
        self.init(aucCandidate: a.auc, aucChampion: b.auc, covariance: [[s11, s12], [s12, s22]])
    }

    init(aucCandidate: Double, aucChampion: Double, covariance: [[Double]]) {
        self.aucCandidate = aucCandidate
        self.aucChampion = aucChampion
        self.covariance = covariance
        let variance = covariance[0][0] + covariance[1][1] - 2 * covariance[0][1]
        z = variance > 0 ? (aucCandidate - aucChampion) / variance.squareRoot() : .nan
        pValue = z.isNaN ? .nan : 2 * SpecialFunctions.normalCDF(-abs(z))
    }

    /// 1-based midranks: tied values share the mean of their ranks.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
