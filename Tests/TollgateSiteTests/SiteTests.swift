import CLibXML2
import Foundation
import Testing
import TollgateCore
import TollgateSite
import TollgateStore
import TollgateTestSupport

/// The site built from real history: valid HTML, links that resolve, hostile registry text that
/// stays inert, the same bytes twice, and rebuilds that render only what changed.
@Suite("Report site", .serialized)
struct SiteTests {
    /// A history with the fixture year and the German-credit demo run (real checks and charts).
    static func history(in scratch: ScratchDirectory) throws -> String {
        let store = scratch.path("history.sqlite")
        let imported = try Tool.run(["history", "import", Fixtures.path("history/credit-risk-year.jsonl"), "--history", store])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let run = try Tool.run(["run", "-c", Fixtures.path("demo/tollgate.yml"), "--history", store, "-q"])
        #expect(run.exitCode == 1, "\(run.stderr)")
        // A canary analysis of three looks (the healthy example in thirds, one state file).
        let lines = try String(contentsOfFile: Fixtures.path("canary/events.jsonl"), encoding: .utf8).split(separator: "\n").map { $0 + "\n" }
        let events = scratch.path("canary-events.jsonl")
        try Data().write(to: URL(fileURLWithPath: events))
        for third in 0..<3 {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(lines[(third * lines.count / 3)..<((third + 1) * lines.count / 3)].joined().utf8))
            try handle.close()
            let look = try Tool.run([
                "canary", "--config", Fixtures.path("canary/canary.yml"), "--events", events, "--state", scratch.path("canary-state.json"), "--history", store
            ])
            #expect([0, 3].contains(look.exitCode), "\(look.stderr)")
        }
        return store
    }

    static func build(_ store: String, into out: String, environment: [String: String] = ["SOURCE_DATE_EPOCH": "1764547200"], extra: [String] = []) throws
        -> ToolResult
    {
        try Tool.run(["site", "--history", store, "-c", Fixtures.path("demo/tollgate.yml"), "--out", out] + extra, environment: environment)
    }

    static func files(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// HTML parse errors from libxml2, except "unknown tag" (libxml2's parser knows HTML 4, not
    /// `<svg>`, `<figure>`, `<main>`…), plus every `href`/`src` and `id` in the page.
    static func inspect(_ path: String) -> (errors: [String], links: [String], ids: Set<String>) {
        final class Collector { var errors: [String] = [] }
        let collector = Collector()
        let context = htmlNewParserCtxt()!
        defer { htmlFreeParserCtxt(context) }
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(collector).toOpaque()) { data, error in
            guard let data, let error else { return }
            let code = error.pointee.code
            if code == Int32(XML_HTML_UNKNOWN_TAG.rawValue) { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "?"
            Unmanaged<Collector>.fromOpaque(data).takeUnretainedValue().errors.append(
                "line \(error.pointee.line): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let document = htmlCtxtReadFile(context, path, "utf-8", Int32(HTML_PARSE_NONET.rawValue)) else { return (["unreadable"], [], []) }
        defer { xmlFreeDoc(document) }
        var links: [String] = []
        var ids = Set<String>()
        func walk(_ node: xmlNodePtr?) {
            var node = node
            while let n = node {
                if n.pointee.type == XML_ELEMENT_NODE {
                    for name in ["href", "src", "id"] {
                        if let value = xmlGetProp(n, name) {
                            let text = String(cString: value)
                            free(value)
                            if name == "id" { ids.insert(text) } else { links.append(text) }
                        }
                    }
                }
                walk(n.pointee.children)
                node = n.pointee.next
            }
        }
        walk(xmlDocGetRootElement(document))
        return (collector.errors, links, ids)
    }

    @Test("every page parses without errors, and every internal link and anchor resolves")
    func pagesAndLinks() throws {
        let scratch = try ScratchDirectory()
        let store = try Self.history(in: scratch)
        let out = scratch.path("site")
        let result = try Self.build(store, into: out)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let pages = Self.files(out).filter { $0.hasSuffix(".html") }
        #expect(pages.contains("index.html") && pages.contains("dora.html"))
        #expect(pages.contains { $0.hasPrefix("models/") } && pages.contains { $0.hasPrefix("runs/") } && pages.contains { $0.hasPrefix("cards/") })
        var checked = 0
        for page in pages {
            let path = out + "/" + page
            let (errors, links, _) = Self.inspect(path)
            #expect(errors.isEmpty, "\(page): \(errors.prefix(5))")
            for link in links {
                #expect(!link.contains("://"), "\(page) requests \(link)")
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target =
                    parts[0].isEmpty ? path : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(parts[0]).standardizedFileURL.path
                #expect(target.hasPrefix(out), "\(page): \(link) leaves the site")
                #expect(FileManager.default.fileExists(atPath: target), "\(page): \(link) is broken")
                if parts.count == 2, target.hasSuffix(".html") {
                    #expect(Self.inspect(target).ids.contains(parts[1]), "\(page): anchor \(link) is missing")
                }
                checked += 1
            }
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(size < 100_000, "\(page) is \(size) bytes")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("Content-Security-Policy"))
            // swift-mustache renders a missing variable as nothing: a full history must leave
            // no cell, heading, link or caption of the default templates empty.
            for empty in [
                "<td></td>", "<strong></strong>", "<h1></h1>", "<h2></h2>", "<code></code>", "<figcaption></figcaption>", "href=\"\"", "<title></title>",
                "<dd></dd>"
            ] {
                #expect(!text.contains(empty), "\(page) has \(empty)")
            }
            #expect(!text.contains("<script"))
            #expect(text.components(separatedBy: "<h1").count == 2, "\(page): one <h1>")
        }
        #expect(checked > 100)
        // Run ↔ model ↔ index, both ways (links as the browser reads them, entities decoded).
        #expect(Self.inspect(out + "/index.html").links.contains("models/credit-risk.html"))
        let modelLinks = Self.inspect(out + "/models/credit-risk.html").links
        #expect(modelLinks.contains("../index.html"))
        let runLink = try #require(modelLinks.first { $0.hasPrefix("../runs/") })
        let runLinks = Self.inspect(out + "/models/" + runLink).links
        #expect(runLinks.contains("../models/credit-risk.html"))
        #expect(runLinks.contains("../index.html"))
    }

    /// The hostile model's name: no `/`, so it is also a registry folder with a model card.
    static let hostileCardModel = "<img src=x onerror=alert(3)> *card* [c](javascript:alert(4))"

    /// A site from hostile registry text: a run whose model is named like a path and a script,
    /// whose version is a `javascript:` link and whose check message is an `<img onerror>`; and a
    /// registered model whose card holds raw HTML, `javascript:`/`data:` images and links and
    /// an `# h1` of its own.
    static func hostileSite(in scratch: ScratchDirectory) throws -> (result: ToolResult, out: String) {
        let store = scratch.path("history.sqlite")
        let report = try JSONDecoder().decode(
            RunReport.self,
            from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("history/credit-risk-year.jsonl"))).split(separator: 0x0A).lazy.compactMap {
                line -> Data? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let run = object["report"] else { return nil }
                return try? JSONSerialization.data(withJSONObject: run)
            }.first!)
        var named = report
        named.model = "../../<script>alert(1)</script> [click](javascript:alert(2)) *bold*"
        named.candidates[0].version = "[x](javascript:alert(1))"
        named.candidates[0].checks![0].message = "<img src=x onerror=alert(1)>"
        var carded = report
        carded.model = hostileCardModel
        let history = try SQLHistory.open(.sqlite(path: store))
        try history.record(.run(RunRecord(id: "../../../etc/passwd", report: named, recordedAt: Instant(rfc3339: report.finishedAt)!)), now: .now())
        try history.record(.run(RunRecord(id: "<b>card</b>", report: carded, recordedAt: Instant(rfc3339: report.finishedAt)!)), now: .now())
        // A canary look whose every name is hostile; its analysis id is named like a path.
        let at = Instant(rfc3339: report.finishedAt)!
        let check = CanaryAnalysisRecord.Check(
            expression: "mean(<script>alert(12)</script>) <= baseline + 0.01", severity: "block", margin: 0.01, badDirection: "increase",
            nBaseline: 600, nCanary: 600, estimate: 0.001, lower: -0.02, upper: 0.02, pValue: 1, outcome: "continue",
            reason: "<img src=x onerror=alert(13)> [r](javascript:alert(14))")
        for look in 1...2 {
            try history.record(
                .canaryAnalysis(
                    CanaryAnalysisRecord(
                        id: "canary-\(look)", analysis: "../../../etc/passwd<script>", model: named.model, at: at.adding(seconds: Double(look)),
                        baseline: "<b onclick=alert(15)>", canary: "[c](javascript:alert(16))", mode: "canary", look: look, verdict: "continue",
                        checks: [check], baselineEvents: 300, canaryEvents: 300, recordedAt: at)), now: .now())
        }
        history.close()
        let model = "registry/\(hostileCardModel)"
        try scratch.write("\(model)/model.yaml", "description: \"<script>alert(5)</script>\"\n")
        try scratch.write("\(model)/1 <b onclick=alert(6)>/version.yaml", "scorer:\n  predictions: predictions.csv\n")
        try scratch.write(
            "\(model)/1 <b onclick=alert(6)>/MODEL_CARD.md",
            """
            # Card <script>alert(7)</script>

            ![alt *text*](javascript:alert(8)) ![page](data:text/html;base64,PHNjcmlwdD4=) ![nothing]()
            [a link](JavaScript:alert(9)) and [vb](vbscript:msgbox) <img src=x onerror=alert(10)>
            ![inline](data:image/png;base64,iVBORw0KGgo=)

            ## Section <b>bold</b>

            <script>alert(11)</script>

            ###### Deepest

            """)
        let config = try scratch.write(
            "gate.yml",
            """
            model: "\(hostileCardModel)"
            registry: registry
            champion: "1"
            candidates: ["1"]
            dataset: {path: eval.csv, id: id, label: y, task: binary}
            checks:
              accuracy:
                - accuracy >= 0.5

            """)
        let out = scratch.path("site")
        return (try Tool.run(["site", "--history", store, "--out", out, "-c", config]), out)
    }

    @Test("hostile registry text comes out inert, and names from it stay inside the site")
    func hostileText() throws {
        let scratch = try ScratchDirectory()
        let (result, out) = try Self.hostileSite(in: scratch)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let cards = Self.files(out).filter { $0.hasPrefix("cards/") && $0.hasSuffix(".html") }
        #expect(cards.count == 1, "\(cards)")
        #expect(Self.files(out).filter { $0.hasPrefix("runs/") && $0.hasSuffix(".html") }.count == 2)
        for file in Self.files(out) {
            #expect(!file.contains(".."), "\(file)")
            guard file.hasSuffix(".html") else { continue }
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains("<script"), "\(file)")
            // No image but the card's own PNG, which the CSP allows (`img-src data:`).
            #expect(text.components(separatedBy: "<img").count - 1 == (file.hasPrefix("cards/") ? 1 : 0), "\(file)")
            // The text may show "javascript:" as words; it must never become a link.
            #expect(!text.contains("href=\"javascript"), "\(file)")
            #expect(!text.contains("src=\"\"") && !text.contains("href=\"\""), "\(file): a URL emptied by cmark's safe mode")
            #expect(text.components(separatedBy: "<h1").count == 2, "\(file): one <h1>")
            if file.hasPrefix("runs/") {
                let shown = text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || text.contains("&lt;img src=x onerror=alert(3)&gt;")
                #expect(shown, "\(file): the name is shown, escaped")
            }
            #expect(Self.inspect(out + "/" + file).errors.isEmpty, "\(file)")
        }
        // The card: its headings one level down, refused images and links reduced to their words.
        let card = try String(contentsOfFile: out + "/" + (cards.first ?? "none"), encoding: .utf8)
        for expected in ["<h2>Card ", "<h3>Section ", "<h6>Deepest</h6>", "<p>alt <em>text</em> page nothing\na link and vb ", "alt=\"inline\""] {
            #expect(card.contains(expected), "the card lacks \(expected)")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.path("etc/passwd.html")) == false)
        let canary = Self.files(out).filter { $0.hasPrefix("canary/") }
        #expect(canary.count == 1, "\(canary)")
        let page = try String(contentsOfFile: out + "/" + (canary.first ?? "none"), encoding: .utf8)
        // In the SVG as HTML text; in the page's HTML blocks as numeric references (SafeText.markdownInline).
        let escaped = [
            "mean(&lt;script&gt;alert(12)&lt;/script&gt;)", "&#60;img src&#61;x onerror&#61;alert&#40;13&#41;&#62;",
            "&#60;b onclick&#61;alert&#40;15&#41;&#62;"
        ]
        for shown in escaped {
            #expect(page.contains(shown), "the canary page lacks \(shown), escaped")
        }
    }

    @Test("the same history and templates give byte-identical sites; a new run rewrites only what changed")
    func deterministicAndIncremental() throws {
        let scratch = try ScratchDirectory()
        let store = try Self.history(in: scratch)
        let a = scratch.path("a")
        let b = scratch.path("b")
        #expect(try Self.build(store, into: a).exitCode == 0)
        #expect(try Self.build(store, into: b).exitCode == 0)
        for file in Self.files(a) {
            #expect(FileManager.default.contents(atPath: a + "/" + file) == FileManager.default.contents(atPath: b + "/" + file), "\(file) differs")
        }
        #expect(Self.files(a) == Self.files(b))
        let again = try Self.build(store, into: a)
        #expect(again.stdout.contains("(0 written"), "\(again.stdout)")
        let run = try Tool.run(["run", "-c", Fixtures.path("demo/tollgate.yml"), "--history", store, "-q"])
        #expect(run.exitCode == 1)
        let after = try Self.build(store, into: a)
        #expect(after.exitCode == 0)
        // 17 runs before: their 17 JSON files and the 16 pages that were not a model's latest
        // are not rendered again; the new run, the previous latest and the index, model and
        // DORA pages are.
        #expect(after.stdout.contains("33 unchanged run files skipped"), "\(after.stdout)")
        let written = Int(after.stdout.firstMatch(of: /\((\d+) written/)?.1 ?? "") ?? 99
        #expect(written <= 6, "\(after.stdout)")
    }

    @Test("an override replaces one template; a template error names the file, line and tag")
    func templateOverrides() throws {
        let scratch = try ScratchDirectory()
        let store = try Self.history(in: scratch)
        _ = try scratch.write("templates/index.md", "# Our models\n\n{{#models}}\n- [{{name}}]({{href}})\n{{/models}}\n")
        let out = scratch.path("site")
        let ok = try Self.build(store, into: out, extra: ["--templates", scratch.path("templates")])
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(index.contains("<h1>Our models</h1>"))
        #expect(FileManager.default.fileExists(atPath: out + "/dora.html"))
        _ = try scratch.write("broken/run.md", "# run\n\n{{#candidates}}\n{{version}\n")
        let bad = try Self.build(store, into: scratch.path("site2"), extra: ["--templates", scratch.path("broken")])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains(scratch.path("broken/run.md") + ":"), "\(bad.stderr)")
    }
}
