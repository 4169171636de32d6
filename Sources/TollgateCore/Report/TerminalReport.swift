import Foundation

/// The run as a reviewer reads it in a terminal: one table of checks per candidate.
///
/// Colour only when asked (the caller decides: a TTY, no `NO_COLOR`), and the outcome is
/// always spelled out too, so nothing depends on seeing colour.
public struct TerminalReport {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ report: RunReport) -> String {
        var out = ""
        let champion = report.champion
        out += "\(bold(report.model)): champion \(champion.version) (\(champion.reference))"
        out += " vs \(report.candidates.map { label($0) }.joined(separator: ", "))\n"
        let dataset = report.inputs.dataset
        out += "dataset \(dataset.path): \(dataset.rows) rows"
        if dataset.evaluatedRows != dataset.rows { out += ", \(dataset.evaluatedRows) with predictions from every version" }
        out += " (\(dataset.task.rawValue), sha256 \(dataset.sha256.prefix(12)))\n"
        for version in [champion] + report.candidates {
            if let scoring = version.scoring { out += "scored \(version.version): \(scoring.summary)\n" }
        }

        for candidate in report.candidates {
            out += "\n\(bold("candidate \(label(candidate))"))  decision: \(paint(candidate.decision ?? .error))\n"
            let rows = (candidate.checks ?? []).map { check -> [String] in
                [
                    check.outcome.rawValue.uppercased(), check.expression,
                    check.value.map(Formatting.decimal) ?? "-",
                    check.championValue.map(Formatting.decimal) ?? "-",
                    // A test's outcome rests on the difference and its bounds, not on a threshold.
                    check.test?.summary ?? check.threshold.map(Formatting.decimal) ?? "-"
                ]
            }
            let header = ["OUTCOME", "CHECK", "VALUE", "CHAMPION", "THRESHOLD"]
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
            out += "  " + pad(header, widths).joined(separator: "  ") + "\n"
            for (row, check) in zip(rows, candidate.checks ?? []) {
                var cells = pad(row, widths)
                cells[0] = paint(check.outcome, cells[0])
                out += "  " + cells.joined(separator: "  ") + "\n"
            }
            for check in candidate.checks ?? [] where check.outcome != .pass {
                out += "  \(check.outcome.rawValue): \(check.message) [\(check.location)]\n"
            }
            if let load = candidate.load { out += "  \(load.summary)\n" }
        }
        let held = report.candidates.filter { $0.decision != .pass }.map(\.version)
        out += "\ndecision: \(paint(report.decision)) (exit \(report.exitCode))"
        if !held.isEmpty { out += "; not cleared: \(held.joined(separator: ", "))" }
        return out + "\n"
    }

    private func label(_ version: VersionReport) -> String {
        version.reference == version.version ? version.version : "\(version.version) (\(version.reference))"
    }

    private func pad(_ cells: [String], _ widths: [Int]) -> [String] {
        cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
    }

    private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func paint(_ decision: Decision) -> String {
        let text = decision.rawValue.uppercased()
        guard color else { return text }
        switch decision {
        case .pass: return "\u{1B}[1;32m\(text)\u{1B}[0m"
        case .fail, .error: return "\u{1B}[1;31m\(text)\u{1B}[0m"
        case .inconclusive: return "\u{1B}[1;33m\(text)\u{1B}[0m"
        }
    }

    private func paint(_ outcome: Outcome, _ text: String) -> String {
        guard color else { return text }
        switch outcome {
        case .pass: return "\u{1B}[32m\(text)\u{1B}[0m"
        case .fail, .error: return "\u{1B}[31m\(text)\u{1B}[0m"
        case .warn, .inconclusive: return "\u{1B}[33m\(text)\u{1B}[0m"
        }
    }
}
