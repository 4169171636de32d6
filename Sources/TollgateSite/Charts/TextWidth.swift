/// An upper bound on how wide a chart label is drawn, so ticks can be thinned before labels
/// collide. The stylesheet sets chart text to `11px system-ui, sans-serif`; with no web fonts the
/// face is the reader's. The bound takes DejaVu Sans, the widest common fallback (digits 0.636 em,
/// `M` 0.863 em, `W` 0.989 em, `m` 0.974 em), and rounds every class of character up.
enum TextWidth {
    static let fontSize = 11.0

    static func em(_ c: Character) -> Double {
        if c == " " { return 0.35 }
        if c.isNumber { return 0.65 }
        if c.isLetter { return 1.0 }
        if "-:./,".contains(c) { return 0.45 }
        return 1.0
    }

    static func upperBound(_ text: String, fontSize: Double = fontSize) -> Double {
        text.reduce(0) { $0 + em($1) } * fontSize
    }
}
