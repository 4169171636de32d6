import Foundation
import Testing
import TollgateCore
import TollgateSite
import TollgateStore
import TollgateTestSupport

/// Busy models (issue #14): pages stay bounded whatever the history, every run is listed once
/// across a model's pages, the summarised trends say what the history holds, and no two axis
/// labels can touch.
@Suite("Busy models on the site", .serialized)
struct BusyModelTests {
    /// A model's runs: `count` of them, `spacing` seconds apart from 2026-01-05 (a Monday), every
    /// `pairEvery`-th with two candidates; ROC AUC a fixed pseudo-random walk per candidate.
    struct Plan {
        var model: String
        var count: Int
        var spacing: Int64
        var pairEvery: Int
        /// The runs' decisions: "pass", "fail last", "inconclusive last" or "alternate".
        var decisions = "pass"

        func decision(_ i: Int) -> Decision {
            switch decisions {
            case "fail last": i == count - 1 ? .fail : .pass
            case "inconclusive last": i == count - 1 ? .inconclusive : .pass
            case "alternate": i % 2 == 1 ? .pass : .fail
            default: .pass
            }
        }
    }

    static let plans = [
        Plan(model: "busy", count: 260, spacing: 8 * 3600, pairEvery: 5, decisions: "fail last"),
        Plan(model: "small", count: 10, spacing: 86_400, pairEvery: 1, decisions: "alternate"),
        Plan(model: "within-a-day", count: 40, spacing: 20 * 60, pairEvery: 4, decisions: "inconclusive last"),
        Plan(model: "years", count: 300, spacing: 5 * 86_400, pairEvery: 10)
    ]

    static let start: Int64 = 1_767_571_200 // 2026-01-05T00:00:00Z

    /// Candidate values as the test made them: (model, run time in seconds, value).
    struct Made {
        var at: Int64
        var value: Double
    }

    static func value(_ i: Int, _ k: Int) -> Double {
        // Deterministic, spread over 0.60…0.90 with four decimals.
        Double((i * 7919 + k * 104_729) % 3001) / 10_000 + 0.6
    }

    static func site(in scratch: ScratchDirectory) throws -> (out: String, made: [String: [Made]]) {
        let template = try JSONDecoder().decode(
            RunReport.self,
            from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("history/credit-risk-year.jsonl"))).split(separator: 0x0A).lazy.compactMap {
                line -> Data? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let run = object["report"] else { return nil }
                return try? JSONSerialization.data(withJSONObject: run)
            }.first!)
        let history = try SQLHistory.open(.sqlite(path: scratch.path("history.sqlite")))
        defer { history.close() }
        var made: [String: [Made]] = [:]
        for plan in plans {
            for i in 0..<plan.count {
                let at = start + Int64(i) * plan.spacing
                var report = template
                report.model = plan.model
                report.decision = plan.decision(i)
                report.finishedAt = Instant(milliseconds: at * 1000).rfc3339
                report.champion.metrics["roc_auc"] = 0.75 + Double(i / 50) * 0.01
                report.champion.version = String(i / 50 + 1)
                var first = template.candidates[0]
                first.version = "\(i + 2)"
                first.metrics["roc_auc"] = value(i, 0)
                first.checks = first.checks.map {
                    $0.map {
                        var c = $0
                        c.value = value(i, 0)
                        return c
                    }
                }
                report.candidates = [first]
                if i % plan.pairEvery == 0 {
                    var second = first
                    second.version = "\(i + 2)b"
                    second.metrics["roc_auc"] = value(i, 1)
                    second.checks = second.checks.map {
                        $0.map {
                            var c = $0
                            c.value = value(i, 1)
                            return c
                        }
                    }
                    report.candidates.append(second)
                }
                for c in report.candidates { made[plan.model, default: []].append(Made(at: at, value: c.metrics["roc_auc"]!)) }
                try history.record(
                    .run(RunRecord(id: "\(plan.model)-\(i)", report: report, recordedAt: Instant(milliseconds: at * 1000))),
                    now: Instant(milliseconds: at * 1000))
            }
        }
        let out = scratch.path("site")
        _ = try SiteBuilder(
            history: history, templates: try SiteTemplates(defaults: try #require(SiteTemplates.defaultDirectory())), output: out, registry: nil
        ).build()
        return (out, made)
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("a model's runs are listed 100 a page, newest first, each once; pages link both ways and stay under 100 KB")
    func pagination() throws {
        let scratch = try ScratchDirectory()
        let (out, _) = try Self.site(in: scratch)
        let pages = ["models/busy.html", "models/busy/page-2.html", "models/busy/page-3.html"]
        #expect(!FileManager.default.fileExists(atPath: out + "/models/busy/page-4.html"))
        var listed: [String] = []
        for (n, page) in pages.enumerated() {
            let path = out + "/" + page
            let (errors, links, _) = SiteTests.inspect(path)
            #expect(errors.isEmpty, "\(page): \(errors.prefix(3))")
            for link in links {
                let target = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(link).standardizedFileURL.path
                #expect(target.hasPrefix(out) && FileManager.default.fileExists(atPath: target), "\(page): \(link) is broken")
            }
            let runs = links.filter { $0.contains("runs/busy-") }.map { String($0.split(separator: "/").last!.dropLast(5)) }
            #expect(runs.count == (n < 2 ? 100 : 60), "\(page): \(runs.count) runs")
            listed += runs
            let html = try Self.read(path)
            // Newer and older, both ways.
            if n < 2 { #expect(links.contains { $0.hasSuffix("busy/page-\(n + 2).html") }, "\(page) has no link to page \(n + 2)") }
            if n > 0 { #expect(links.contains { $0.hasSuffix(n == 1 ? "models/busy.html" : "busy/page-\(n).html") }, "\(page) has no link back") }
            #expect(html.contains("rel=\"prev\"") == (n > 0) && html.contains("rel=\"next\"") == (n < 2))
        }
        // Every run once, newest first across the pages.
        #expect(listed == (0..<260).reversed().map { "busy-\($0)" })
        for file in SiteTests.files(out) where file.hasSuffix(".html") {
            let size = (try FileManager.default.attributesOfItem(atPath: out + "/" + file)[.size] as? Int) ?? 0
            #expect(size < 100_000, "\(file) is \(size) bytes")
        }
    }

    /// The ISO week's Monday of a time, by Foundation's calendar (not the site's arithmetic).
    static func monday(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.dateInterval(of: .weekOfYear, for: Date(timeIntervalSince1970: Double(seconds)))!.start
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    /// `{{value}}` writes ASCII punctuation as character references; read it as a browser does.
    static func decoded(_ html: String) -> String {
        html.replacing(/&#(\d+);/) { m in String(UnicodeScalar(UInt32(m.1)!).map(Character.init) ?? "?") }
    }

    /// The trend figures of a page: (caption, svg).
    static func trends(_ html: String) -> [(caption: String, svg: String)] {
        html.components(separatedBy: "<figure").dropFirst().compactMap { part in
            guard let svg = part.firstMatch(of: /<svg[^>]*>.*?<\/svg>/)?.0, let caption = part.firstMatch(of: /<figcaption>(.*?)<\/figcaption>/)?.1 else {
                return nil
            }
            // `{{value}}` writes ASCII punctuation as character references; read it as a browser does.
            return (decoded(String(caption)), String(svg))
        }
    }

    @Test("past 200 values a trend shows each ISO week's min, median and max, as the history has them; below, every candidate alone")
    func summarisedTrends() throws {
        let scratch = try ScratchDirectory()
        let (out, made) = try Self.site(in: scratch)
        let busy = try #require(Self.trends(try Self.read(out + "/models/busy.html")).first { $0.caption.hasPrefix("roc_auc") })
        #expect(busy.caption.contains("312 candidate values from 260 runs") && busy.caption.contains("summarised per ISO week"), "\(busy.caption)")
        var weeks: [String: [Double]] = [:]
        for m in made["busy"]! { weeks[Self.monday(m.at), default: []].append(m.value) }
        let expected = Set(
            weeks.map { week, values in
                let v = values.sorted()
                let n = v.count
                let median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
                return
                    "week of \(week): \(n) candidate values, min \(String(format: "%.4g", v[0])), median \(String(format: "%.4g", median)), max \(String(format: "%.4g", v[n - 1]))"
            })
        let shown = Set(busy.svg.matches(of: /<circle class="point"[^>]*><title>([^<]*)<\/title>/).map { String($0.1) })
        #expect(shown == expected, "shown \(shown.subtracting(expected).sorted().prefix(3)), expected \(expected.subtracting(shown).sorted().prefix(3))")
        #expect(weeks.count == 13)
        // The champion is one step path; candidates are never joined by a line.
        #expect(busy.svg.components(separatedBy: "<path class=\"series step\"").count - 1 == 1)
        #expect(!busy.svg.contains("<polyline"))
        #expect(busy.svg.contains("class=\"threshold\""))

        let small = try #require(Self.trends(try Self.read(out + "/models/small.html")).first)
        #expect(small.caption.contains("20 candidate values from 10 runs") && !small.caption.contains("summarised"))
        #expect(small.svg.matches(of: /<circle class="point" cx/).count == 20)
        #expect(!small.svg.contains("<polyline"))
        // Two candidates of one run: two points at one x, not a segment between them.
        let xs = small.svg.matches(of: /<circle class="point" cx="([0-9.]+)"/).map { String($0.1) }
        #expect(Set(xs).count == 10)
    }

    /// An upper bound on a glyph's advance in the stylesheet's chart font (`11px system-ui,
    /// sans-serif`), from DejaVu Sans, the widest common fallback: digits 0.636 em, `W` 0.989 em.
    static func labelWidth(_ text: String, fontSize: Double) -> Double {
        text.reduce(0) { w, c in
            w + fontSize * (c == " " ? 0.35 : c.isNumber ? 0.65 : c.isLetter ? 1.0 : "-:./,".contains(c) ? 0.45 : 1.0)
        }
    }

    @Test("no two tick labels of any trend overlap, over spans from hours to years, and none leaves its chart")
    func labelsDoNotOverlap() throws {
        let scratch = try ScratchDirectory()
        let (out, _) = try Self.site(in: scratch)
        let css = try Self.read(out + "/style.css")
        let declared = try #require(css.firstMatch(of: /\.chart text \{[^}]*font: (\d+)px/)?.1)
        let fontSize = try #require(Double(declared))
        var charts = 0
        for plan in Self.plans {
            // Every drawing of each trend: the page's and the phone's.
            let html = try Self.read(out + "/models/\(plan.model).html")
            let drawings = html.matches(of: /<svg class="chart"[^>]*>.*?<\/svg>/).map { (caption: "", svg: String($0.0)) }
            #expect(drawings.count == 2 * Self.trends(html).count)
            #expect(Set(drawings.compactMap { $0.svg.firstMatch(of: /viewBox="0 0 ([0-9.]+)\s/).map { String($0.1) } }) == ["640.0", "340.0"])
            for trend in drawings {
                charts += 1
                let viewBox = try #require(trend.svg.firstMatch(of: /viewBox="0 0 ([0-9.]+)\s/)?.1)
                let width = try #require(Double(viewBox))
                struct Box {
                    var x0, x1, y0, y1: Double
                    var text: String
                }
                let boxes = trend.svg.matches(of: /<text class="axis tick" x="([0-9.-]+)" y="([0-9.-]+)" text-anchor="(\w+)">([^<]*)<\/text>/).map { m -> Box in
                    let x = Double(m.1)!
                    let y = Double(m.2)!
                    let text = String(m.4)
                    let w = Self.labelWidth(text, fontSize: fontSize)
                    let x0 = m.3 == "middle" ? x - w / 2 : m.3 == "end" ? x - w : x
                    // The em box: ascent above the baseline, descent below.
                    return Box(x0: x0, x1: x0 + w, y0: y - fontSize, y1: y + fontSize * 0.3, text: text)
                }
                #expect(boxes.count >= 4, "\(plan.model): \(boxes.map(\.text))")
                for (i, a) in boxes.enumerated() {
                    #expect(a.x0 >= 0 && a.x1 <= width, "\(plan.model): \(a.text) leaves the chart")
                    for b in boxes[(i + 1)...] {
                        let overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
                        #expect(!overlap, "\(plan.model): '\(a.text)' and '\(b.text)' overlap")
                    }
                }
                // Dates shortened: no tick shows a full timestamp.
                #expect(!boxes.contains { $0.text.contains("T") && $0.text.contains("Z") })
            }
        }
        #expect(charts == 8)
    }

    @Test("the index puts failing, inconclusive and flaky models first, grouped with counts, each with its sparkline; the all-models list has each model once")
    func index() throws {
        let scratch = try ScratchDirectory()
        let (out, _) = try Self.site(in: scratch)
        let html = try Self.read(out + "/index.html")
        #expect(SiteTests.inspect(out + "/index.html").errors.isEmpty)
        let order = html.matches(of: /<h3><a href="models\/([a-z-]+)\.html">/).map { String($0.1) }
        #expect(order == ["busy", "within-a-day", "small", "years"], "\(order)")
        let text = Self.decoded(html)
        #expect(text.contains("<h2>Needs attention (3): 1 failing, 1 inconclusive, 1 flaky</h2>"), "\(text.prefix(2000))")
        #expect(text.contains("<h2>Passing (1)</h2>"))
        #expect(html.components(separatedBy: "<svg class=\"sparkline\"").count - 1 == 4)
        let all = SiteTests.inspect(out + "/all-models.html").links.filter { $0.hasPrefix("models/") }
        #expect(all == ["models/busy.html", "models/within-a-day.html", "models/small.html", "models/years.html"])
    }
}
