/// The right-hand side of a check: a number, or arithmetic over the champion's value.
public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case champion
    case negate(Expression)
    case binary(Operator, Expression, Expression)

    public enum Operator: Character, Sendable, Equatable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    /// Whether the expression needs the champion's value, and so a champion to compare with.
    public var mentionsChampion: Bool {
        switch self {
        case .number: false
        case .champion: true
        case .negate(let e): e.mentionsChampion
        case .binary(_, let l, let r): l.mentionsChampion || r.mentionsChampion
        }
    }

    /// Evaluates with the champion's value bound; NaN propagates so the caller can say why.
    public func evaluate(champion: Double?) -> Double {
        switch self {
        case .number(let v): v
        case .champion: champion ?? .nan
        case .negate(let e): -e.evaluate(champion: champion)
        case .binary(let op, let l, let r):
            {
                let a = l.evaluate(champion: champion)
                let b = r.evaluate(champion: champion)
                switch op {
                case .add: return a + b
                case .subtract: return a - b
                case .multiply: return a * b
                case .divide: return a / b
                }
            }()
        }
    }

    public var description: String {
        switch self {
        case .number(let v): Formatting.literal(v)
        case .champion: "champion"
        case .negate(let e): "-\(e)"
        case .binary(let op, let l, let r): "\(l) \(op.rawValue) \(r)"
        }
    }

}
