extension Expression {
    /// k when the expression is `champion + k` in any arithmetic form (`champion - 0.01`,
    /// `0.02 + champion`, `champion`), nil otherwise.
    ///
    /// Why: `@ delong` and `@ mcnemar` test the difference candidate − champion against a
    /// margin; a threshold like `champion * 0.99` is a ratio, which those tests do not answer.
    public var championOffset: Double? {
        guard let (slope, intercept) = affine, slope == 1, intercept.isFinite else { return nil }
        return intercept
    }

    /// (slope, intercept) in the champion's value, when the expression is affine in it.
    var affine: (Double, Double)? {
        switch self {
        case .number(let v): return (0, v)
        case .champion: return (1, 0)
        case .negate(let e): return e.affine.map { (-$0.0, -$0.1) }
        case .binary(let op, let l, let r):
            guard let (s1, i1) = l.affine, let (s2, i2) = r.affine else { return nil }
            switch op {
            case .add: return (s1 + s2, i1 + i2)
            case .subtract: return (s1 - s2, i1 - i2)
            case .multiply:
                if s1 == 0 { return (i1 * s2, i1 * i2) }
                if s2 == 0 { return (s1 * i2, i1 * i2) }
                return nil
            case .divide:
                guard s2 == 0, i2 != 0 else { return nil }
                return (s1 / i2, i1 / i2)
            }
        }
    }
}
