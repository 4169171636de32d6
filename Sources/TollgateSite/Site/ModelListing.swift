/// The plain list of every model, `perPage` to a page (`all-models.html`, `all-models-2.html`…),
/// so the index can stay bounded however many models there are and still reach each of them.
struct ModelListing {
    static let perPage = 250

    var count: Int

    init(count models: Int) { count = max(1, (models + Self.perPage - 1) / Self.perPage) }

    func path(_ page: Int) -> String { page == 1 ? "all-models.html" : "all-models-\(page).html" }

    func range(_ page: Int, of total: Int) -> Range<Int> {
        min(total, (page - 1) * Self.perPage)..<min(total, page * Self.perPage)
    }
}
