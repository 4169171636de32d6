import CCmark
import Foundation
import Testing

@testable import TollgateSite

/// Model cards: the URLs Tollgate unwraps must be exactly those cmark's safe mode empties,
/// or an `<img src="">` slips through (or a harmless image is lost).
@Suite("Model card Markdown")
struct MarkdownTests {
    static let urls = [
        "javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox", "VBSCRIPT:x", "file:///etc/passwd", "FILE:x",
        "data:text/html;base64,PHNjcmlwdD4=", "data:image/svg+xml,x", "DATA:IMAGE/PNG;base64,x", "data:image/png;base64,x",
        "data:image/gif,x", "data:image/jpeg,x", "data:image/webp,x", "https://example.com/a.png", "a.png", "../x", "mailto:a@b.c",
        "javascript", "java script:x", "#top"
    ]

    @Test("Tollgate refuses a URL exactly when cmark's safe mode empties it", arguments: urls)
    func refusedMatchesCmark(url: String) {
        let markdown = "![a](<\(url)>) [b](<\(url)>)"
        let options = CMARK_OPT_DEFAULT
        let cmark =
            markdown.withCString { cmark_markdown_to_html($0, markdown.utf8.count, options) }.map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? ""
        #expect(Markdown.refused(url) == cmark.contains("src=\"\""), "\(url): \(cmark)")
        #expect(cmark.contains("src=\"\"") == cmark.contains("href=\"\""), "\(url): \(cmark)")
        let ours = Markdown.untrusted(markdown)
        #expect(!ours.contains("src=\"\"") && !ours.contains("href=\"\""), "\(url): \(ours)")
        #expect(ours.contains("<img") != Markdown.refused(url), "\(url): \(ours)")
    }

    @Test("headings move one level down, to <h6> at most; an image or link without a URL becomes its text")
    func headingsAndEmptyImages() {
        let html = Markdown.untrusted("# One\n\n## Two\n\n##### Five\n\n###### Six\n\nSetext\n======\n\n![just words]() [kept]()\n")
        #expect(html == "<h2>One</h2>\n<h3>Two</h3>\n<h6>Five</h6>\n<h6>Six</h6>\n<h2>Setext</h2>\n<p>just words kept</p>\n")
    }
}
