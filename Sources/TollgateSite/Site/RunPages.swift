/// How a model's runs are split over its pages: `perPage` a page, newest first. Page 1 keeps the
/// model page's old name (`models/NAME.html`) so links made before pagination still resolve; page
/// n is `models/NAME/page-n.html` (a folder no file name from `SafeText.fileName` can reach, as
/// those never hold `/`). Every page links to the newer and older page and to a few around it.
struct RunPages {
    static let perPage = 100

    var model: String
    var runCount: Int

    var count: Int { max(1, (runCount + Self.perPage - 1) / Self.perPage) }

    /// The page's path from the site's root.
    func path(_ page: Int) -> String {
        page == 1 ? SiteContent.modelPath(model) : "models/\(SafeText.fileName(model))/page-\(page).html"
    }

    /// The way back to the site's root from a page.
    func root(_ page: Int) -> String { page == 1 ? "../" : "../../" }

    /// Indices into the model's runs (oldest first) that page `page` lists, newest first.
    func runIndices(_ page: Int) -> [Int] {
        let newest = runCount - 1 - (page - 1) * Self.perPage
        let oldest = max(0, newest - Self.perPage + 1)
        return newest < 0 ? [] : Array((oldest...newest).reversed())
    }

    /// Links from page `page`: the first, the last and two either side, in order.
    func links(from page: Int) -> [ModelPage.PageLink] {
        let shown = Set([1, count] + Array(max(1, page - 2)...min(count, page + 2))).sorted()
        return shown.map { n in .init(number: String(n), href: root(page) + path(n), current: n == page) }
    }
}
