import CCmark
import TollgateCore

/// CommonMark to HTML through libcmark.
///
/// Trusted templates may hold raw HTML (tables of checks, charts), so they render with
/// `CMARK_OPT_UNSAFE`; Markdown from a registry (model cards) renders with cmark's safe
/// default, which drops raw HTML and `javascript:` links.
enum Markdown {
    static func html(_ markdown: String, trusted: Bool) -> String {
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | (trusted ? CMARK_OPT_UNSAFE : 0)
        let length = markdown.utf8.count
        guard let rendered = markdown.withCString({ cmark_markdown_to_html($0, length, options) }) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

import Foundation
