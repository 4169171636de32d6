import Foundation
import Testing
import TollgateTestSupport

/// The demo site in a real browser: Debian's chromium, headless, from `file://`. A page fails
/// if it logs anything to the console — a script error, or a Content-Security-Policy violation,
/// which is what any request outside the site becomes (`default-src 'none'`; styles and images
/// only from the site itself). Screenshots land in a scratch folder, or in `docs/screenshots/`
/// with `TOLLGATE_UPDATE_SCREENSHOTS=1` (how the README's images were made).
@Suite("Report site in a browser")
struct BrowserTests {
    static func chromium() throws -> String {
        try Subprocess.script("chromium.sh").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("index, a failing run, the DORA page and a model page (wide and phone-sized) render with no console message")
    func screenshots() throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("history.sqlite")
        for file in ["history/credit-risk-year.jsonl", "history/demo-run.jsonl"] {
            #expect(try Tool.run(["history", "import", Fixtures.path(file), "--history", store]).exitCode == 0)
        }
        let site = scratch.path("site")
        let built = try Tool.run(["site", "--history", store, "-c", Fixtures.path("demo/tollgate.yml"), "--out", site])
        #expect(built.exitCode == 0, "\(built.stderr)")
        let runID = try #require(
            try String(contentsOfFile: Fixtures.path("history/demo-run.jsonl"), encoding: .utf8)
                .firstMatch(of: /"id":"([0-9a-f-]+)","kind":"run"/)?.1)
        let update = ProcessInfo.processInfo.environment["TOLLGATE_UPDATE_SCREENSHOTS"] == "1"
        let shots = update ? Fixtures.root.appendingPathComponent("docs/screenshots").path : scratch.path("screenshots")
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let browser = try Self.chromium()
        // The model page twice: at the page's width and at a phone's (375 px), where a trend
        // scrolls sideways rather than shrink its labels.
        for (name, page, width, height) in [
            ("index", "index.html", 1280, 700), ("failing-run", "runs/\(runID).html", 1280, 3000), ("dora", "dora.html", 1280, 1400),
            ("model", "models/credit-risk.html", 1280, 1600), ("model-phone", "models/credit-risk.html", 375, 900)
        ] {
            let result = try Subprocess.run(
                browser,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                    "--enable-logging=stderr", "--v=0", "--window-size=\(width),\(height)", "--screenshot=\(shots)/\(name).png",
                    "file://\(site)/\(page)"
                ])
            #expect(result.status == 0, "\(name): chromium exited \(result.status)")
            let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
            #expect(console.isEmpty, "\(name): \(console.prefix(3))")
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(shots)/\(name).png")[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(name): no screenshot")
        }
    }
}
