import CCmark
import Foundation
import TollgateCore

/// CommonMark to HTML through libcmark.
///
/// Trusted templates may hold raw HTML (tables of checks, charts), so they render with
/// `CMARK_OPT_UNSAFE`; Markdown from a registry (model cards) renders with cmark's safe
/// default, which drops raw HTML and `javascript:` links, after `untrusted` has reshaped its
/// tree (see there).
enum Markdown {
    static func html(_ markdown: String, trusted: Bool) -> String {
        guard trusted else { return untrusted(markdown) }
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_UNSAFE
        let length = markdown.utf8.count
        guard let rendered = markdown.withCString({ cmark_markdown_to_html($0, length, options) }) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Registry Markdown placed inside a page that already has its `<h1>`, rendered safe.
    ///
    /// cmark's safe mode keeps a link or image whose URL it refuses and empties the URL:
    /// `<img src="">` is invalid HTML (and a request for the page itself), `<a href="">` a link
    /// to nowhere. Such images and links, and those written with no URL at all, are unwrapped
    /// into their text (an image's alt text), so the words stay and nothing points anywhere. Headings move one level down (`#` → `<h2>`,
    /// `######` stays `<h6>`), so the page keeps a single `<h1>` and its outline.
    static func untrusted(_ markdown: String) -> String {
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        let length = markdown.utf8.count
        guard let document = markdown.withCString({ cmark_parse_document($0, length, options) }) else { return "" }
        defer { cmark_node_free(document) }
        var unwrap: [OpaquePointer] = []
        var headings: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_IMAGE, CMARK_NODE_LINK:
                    let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                    if url.isEmpty || refused(url) { unwrap.append(node) }
                case CMARK_NODE_HEADING:
                    headings.append(node)
                default:
                    break
                }
            }
        }
        // The tree changes only after the walk; a node's children move out before it is freed,
        // so nested nodes collected above stay valid.
        for node in headings { cmark_node_set_heading_level(node, min(6, cmark_node_get_heading_level(node) + 1)) }
        for node in unwrap {
            while let child = cmark_node_first_child(node) { cmark_node_insert_before(node, child) }
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        guard let rendered = cmark_render_html(document, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// The URLs cmark's safe mode empties (its `_scan_dangerous_url`): `javascript:`,
    /// `vbscript:`, `file:` and `data:` other than PNG, GIF, JPEG and WebP images.
    static func refused(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("file:") { return true }
        guard lower.hasPrefix("data:") else { return false }
        return !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { lower.hasPrefix($0) }
    }
}
