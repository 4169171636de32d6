import Foundation
import TollgateCore

/// The run as JUnit XML, the format GitLab, Jenkins and GitHub test reporters read.
///
/// One `<testsuite>` per candidate and suite (accuracy, fairness, …), one `<testcase>` per check:
/// `<failure>` for a blocking fail, `<error>` for a check that could not be evaluated. A
/// blocking inconclusive check is a `<failure type="inconclusive">`: it makes the run exit 3,
/// a no-go, and a `<skipped>` would show that no-go green in every JUnit dashboard (issue #15).
/// A warning's inconclusive stays `<skipped>` (it never blocks); warnings pass with a note in
/// `<system-out>`. Hashes, versions and
/// each check's threshold are `<property>` elements of the suite, since the common schema
/// (Jenkins' junit-10.xsd) allows properties only there.
public struct JUnitReport: Sendable {
    public var report: RunReport

    public init(report: RunReport) { self.report = report }

    public func xml() throws(TollgateError) -> [UInt8] {
        let w = try XMLWriter()
        let all = report.candidates.flatMap { $0.checks ?? [] }
        try w.start("testsuites")
        try w.attribute("name", "tollgate \(report.model)")
        try w.attribute("tests", String(all.count))
        try w.attribute("failures", String(all.filter(Self.isFailure).count))
        try w.attribute("errors", String(all.filter { $0.outcome == .error }.count))
        try w.attribute("time", Self.time(report.durationSeconds))
        for candidate in report.candidates {
            let checks = candidate.checks ?? []
            var suites: [String] = []
            for check in checks where !suites.contains(check.suite) { suites.append(check.suite) }
            for suite in suites {
                try write(suite: suite, checks: checks.filter { $0.suite == suite }, candidate: candidate, to: w)
            }
        }
        try w.end()
        return try w.finish()
    }

    func write(suite: String, checks: [CheckResult], candidate: VersionReport, to w: XMLWriter) throws(TollgateError) {
        try w.start("testsuite")
        try w.attribute("name", "\(report.model) \(candidate.version) \(suite)")
        try w.attribute("tests", String(checks.count))
        try w.attribute("failures", String(checks.filter(Self.isFailure).count))
        try w.attribute("errors", String(checks.filter { $0.outcome == .error }.count))
        try w.attribute("skipped", String(checks.filter(Self.isSkipped).count))
        try w.attribute("time", "0")
        try w.attribute("timestamp", report.startedAt)
        try w.start("properties")
        var properties: [(String, String)] = [
            ("model", report.model), ("candidate", candidate.version), ("candidate.reference", candidate.reference),
            ("champion", report.champion.version), ("decision", candidate.decision?.rawValue ?? report.decision.rawValue),
            ("dataset.path", report.inputs.dataset.path), ("dataset.sha256", report.inputs.dataset.sha256)
        ]
        if let sha = report.inputs.config.sha256 { properties.append(("config.sha256", sha)) }
        if let sha = candidate.artifact?.sha256 { properties.append(("artifact.sha256", sha)) }
        if let commit = report.inputs.commit { properties.append(("commit", commit)) }
        for (i, check) in checks.enumerated() {
            if let t = check.threshold { properties.append(("check.\(i + 1).threshold", Self.number(t))) }
            if let v = check.value { properties.append(("check.\(i + 1).value", Self.number(v))) }
            if let t = check.test {
                properties += [
                    ("check.\(i + 1).test", t.test), ("check.\(i + 1).difference", Self.number(t.difference)),
                    ("check.\(i + 1).lower_bound", Self.number(t.lowerBound)), ("check.\(i + 1).upper_bound", Self.number(t.upperBound)),
                    ("check.\(i + 1).margin", Self.number(t.margin)), ("check.\(i + 1).p_value", Self.number(t.pValue)),
                    ("check.\(i + 1).alpha", Self.number(t.alpha))
                ]
            }
        }
        for (name, value) in properties {
            try w.start("property")
            try w.attribute("name", name)
            try w.attribute("value", value)
            try w.end()
        }
        try w.end()
        for check in checks {
            try w.start("testcase")
            try w.attribute("name", check.expression)
            try w.attribute("classname", "tollgate.\(report.model).\(candidate.version).\(suite)")
            try w.attribute("time", "0")
            let detail = Self.detail(check)
            switch check.outcome {
            case .pass: break
            case .warn:
                try w.start("system-out")
                try w.text("warning (does not block): " + detail)
                try w.end()
            case .fail: try outcome("failure", type: "check failed", message: check.message, detail: detail, to: w)
            case .inconclusive where check.severity == .block:
                try outcome("failure", type: "inconclusive", message: "inconclusive (blocks: no-go): " + check.message, detail: detail, to: w)
            case .inconclusive: try outcome("skipped", type: nil, message: "inconclusive (warning, does not block): " + check.message, detail: nil, to: w)
            case .error: try outcome("error", type: "not evaluated", message: check.message, detail: detail, to: w)
            }
            try w.end()
        }
        try w.end()
    }

    /// `<failure>`, `<skipped>` or `<error>` inside a testcase.
    func outcome(_ element: String, type: String?, message: String, detail: String?, to w: XMLWriter) throws(TollgateError) {
        try w.start(element)
        if let type { try w.attribute("type", type) }
        try w.attribute("message", message)
        if let detail { try w.text(detail) }
        try w.end()
    }

    /// Reported as `<failure>`: a blocking fail, or a blocking inconclusive (exit 3 is a no-go).
    static func isFailure(_ c: CheckResult) -> Bool {
        c.outcome == .fail || (c.outcome == .inconclusive && c.severity == .block)
    }

    /// Reported as `<skipped>`: an inconclusive warning, which never blocks.
    static func isSkipped(_ c: CheckResult) -> Bool { c.outcome == .inconclusive && c.severity != .block }

    static func detail(_ c: CheckResult) -> String {
        var parts = ["\(c.expression) at \(c.location)"]
        parts.append("value \(c.value.map(number) ?? "n/a")")
        if let champion = c.championValue { parts.append("champion \(number(champion))") }
        if let threshold = c.threshold { parts.append("threshold \(number(threshold))") }
        if let interval = c.interval, interval.count == 2 { parts.append("interval [\(number(interval[0])), \(number(interval[1]))]") }
        if let t = c.test { parts.append("\(t.test): \(t.summary)") }
        if !c.message.isEmpty { parts.append(c.message) }
        return parts.joined(separator: "; ")
    }

    /// Six significant digits: properties are read by tools as well as people.
    static func number(_ v: Double) -> String { Formatting.significant(v, digits: 6, missing: "n/a") }

    /// Seconds with at most three decimals, as the schema's SUREFIRE_TIME pattern requires.
    static func time(_ seconds: Double) -> String { Formatting.fixed(max(0, seconds.isFinite ? seconds : 0), places: 3) }
}
