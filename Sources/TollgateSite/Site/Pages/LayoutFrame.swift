/// What `layout.html` wraps around every page's body.
struct LayoutFrame: TemplateValues {
    var title: String
    /// The way back to the site's root (`""`, `"../"`).
    var root: String
    var body: RawHTML
    /// The time the site is as of: the newest event in the history, or the epoch it was given.
    var generated: String
}
