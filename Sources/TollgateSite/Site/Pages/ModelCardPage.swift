/// A version's model card (`card.md`): Markdown from the registry, rendered safe.
struct ModelCardPage: PageValues {
    static let template = "card"

    var model: String
    var version: String
    var modelHref: String
    /// The card as HTML, rendered with cmark's safe default (`Markdown.untrusted`).
    var card: RawHTML
}

extension ModelCardPage {
    init(model: String, version: String, markdown: String) {
        self.init(model: model, version: version, modelHref: "../../" + SiteContent.modelPath(model), card: RawHTML(Markdown.html(markdown, trusted: false)))
    }
}
