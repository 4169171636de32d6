import Foundation
import Mustache
import TollgateCore

/// The site's templates: Markdown with Mustache tags, plus one HTML layout and one stylesheet.
///
/// Defaults come from `site-templates/default/`; a `--templates` folder overrides any file by
/// name, and what it lacks falls back. `{{value}}` escapes for Markdown and HTML alike (see
/// `SafeText.markdownInline`), `{{{value}}}` inserts Tollgate's own HTML (tables, charts).
public struct SiteTemplates: Sendable {
    public static let pageNames = ["index", "all-models", "model", "run", "dora", "card", "canary"]
    public static let partialNames = ["checks", "figures"]

    let library: MustacheLibrary
    let layout: MustacheTemplate
    public let stylesheet: String
    /// A digest of every template's text: pages rendered from other templates are stale.
    public let fingerprint: String

    /// Finds the default templates: `preferred` when given (the CLI passes `TOLLGATE_TEMPLATES`),
    /// else `site-templates/default` in a folder above the executable (a build tree) or the
    /// current folder.
    public static func defaultDirectory(preferring preferred: String? = nil) -> String? {
        if let preferred, !preferred.isEmpty { return preferred }
        var candidates: [URL] = []
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(url)
            url.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return candidates.map { $0.appendingPathComponent("site-templates/default").path }
            .first { FileManager.default.fileExists(atPath: $0 + "/layout.html") }
    }

    public init(defaults: String, overrides: String? = nil) throws(TollgateError) {
        MustacheContentTypes.register(MarkdownSafe(), named: MarkdownSafe.name)
        func source(_ name: String) throws(TollgateError) -> (text: String, path: String) {
            for directory in [overrides, defaults].compactMap({ $0 }) {
                let path = (directory as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) {
                    do {
                        return (try String(contentsOfFile: path, encoding: .utf8), path)
                    } catch {
                        throw TollgateError(.io, at: SourceLocation(file: path), "cannot read the template: \(error.localizedDescription)")
                    }
                }
            }
            throw TollgateError(.config, at: SourceLocation(file: (defaults as NSString).appendingPathComponent(name)), "template '\(name)' is missing")
        }
        var library = MustacheLibrary()
        var digest = ""
        for name in Self.pageNames.map({ $0 + ".md" }) + Self.partialNames.map({ "partials/" + $0 + ".md" }) {
            let (text, path) = try source(name)
            digest += SafeText.fnv(text)
            let key = name.hasPrefix("partials/") ? String(name.dropFirst("partials/".count).dropLast(3)) : String(name.dropLast(3))
            library.register(try Self.parse(text, path: path), named: key)
        }
        let (layoutText, layoutPath) = try source("layout.html")
        layout = try Self.parse(layoutText, path: layoutPath)
        stylesheet = try source("style.css").text
        self.library = library
        fingerprint = digest + SafeText.fnv(layoutText) + SafeText.fnv(stylesheet)
    }

    /// Every template, the user's included, escapes with `MarkdownSafe`: swift-mustache's own
    /// default is HTML escaping, which leaves `[text](javascript:…)` to Markdown.
    static func parse(_ text: String, path: String) throws(TollgateError) -> MustacheTemplate {
        let pragma = "{{% CONTENT_TYPE: \(MarkdownSafe.name) }}"
        do {
            return try MustacheTemplate(string: pragma + text)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = line == 1 ? max(1, error.context.columnNumber - pragma.count) : error.context.columnNumber
            throw TollgateError(
                .config, at: SourceLocation(file: path, line: line, column: column),
                "template error: \(error.error) in `\(error.context.line.replacingOccurrences(of: pragma, with: "").trimmingCharacters(in: .whitespaces))`")
        } catch {
            throw TollgateError(.config, at: SourceLocation(file: path), "template error: \(error)")
        }
    }

    /// Renders a page: Mustache, then cmark (templates are trusted), then the layout. Every
    /// page's template may also say when the site is as of, as the layout does.
    func page(_ values: any PageValues, title: String, root: String, generated: String) -> String {
        let frame = LayoutFrame(title: title, root: root, body: RawHTML(""), generated: generated)
        var context = values.context
        context["generated"] = frame.generated
        let markdown = library.render(context, withTemplate: type(of: values).template) ?? ""
        var framed = frame
        framed.body = RawHTML(Markdown.html(markdown, trusted: true))
        return layout.render(framed.context, library: library)
    }
}

/// Mustache's default escaping, replaced: safe in Markdown and in HTML at once.
struct MarkdownSafe: MustacheContentType {
    static let name = "TOLLGATE_MARKDOWN"

    func escapeText(_ text: String) -> String { SafeText.markdownInline(text) }
}

/// Tollgate's own HTML, inserted with `{{{…}}}`.
struct RawHTML: MustacheCustomRenderable, CustomStringConvertible {
    var html: String
    init(_ html: String) { self.html = html }
    var renderText: String { html }
    var isNull: Bool { false }
    var description: String { html }
}
