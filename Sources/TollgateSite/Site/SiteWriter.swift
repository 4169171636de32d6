import Foundation
import TollgateCore

/// Renders pages and writes only files whose bytes changed; remembers in a manifest which
/// immutable pages (one per run) were rendered with which templates.
struct SiteWriter {
    let output: String
    let templates: SiteTemplates

    static let manifestName = ".tollgate-site"

    func write(_ pages: [SitePage], generated: String) throws(TollgateError) -> SiteBuilder.Result {
        try makeDirectory(output)
        let manifestPath = (output as NSString).appendingPathComponent(Self.manifestName)
        // No manifest (a first build, or a folder from elsewhere): every page is rendered.
        let previous = FileManager.default.contents(atPath: manifestPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var lines = previous.split(separator: "\n").map(String.init)
        let sameTemplates = lines.first == "templates \(templates.fingerprint)"
        let known = sameTemplates ? Set(lines.dropFirst()) : []
        lines = ["templates \(templates.fingerprint)"]
        var written = 0
        var skipped = 0
        var largest = 0
        for page in pages {
            let path = (output as NSString).appendingPathComponent(page.path)
            if page.immutable, known.contains(page.path), FileManager.default.fileExists(atPath: path) {
                skipped += 1
                lines.append(page.path)
                continue
            }
            let bytes = try render(page.body, page: page, generated: generated)
            if page.path.hasSuffix(".html") { largest = max(largest, bytes.count) }
            if try writeIfChanged(bytes, to: path) { written += 1 }
            if page.immutable { lines.append(page.path) }
        }
        if try writeIfChanged(Array(templates.stylesheet.utf8), to: (output as NSString).appendingPathComponent("style.css")) { written += 1 }
        _ = try writeIfChanged(Array((lines.joined(separator: "\n") + "\n").utf8), to: manifestPath)
        return .init(pages: pages.count, written: written, skipped: skipped, largestPageBytes: largest)
    }

    func render(_ body: SitePage.Body, page: SitePage, generated: String) throws(TollgateError) -> [UInt8] {
        switch body {
        case .page(let values):
            return Array(templates.page(values, title: page.title, root: page.root, generated: generated).utf8)
        case .raw(let data):
            return data
        case .deferred(let make):
            return try render(try make(), page: page, generated: generated)
        }
    }

    func writeIfChanged(_ bytes: [UInt8], to path: String) throws(TollgateError) -> Bool {
        if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) { return false }
        try makeDirectory((path as NSString).deletingLastPathComponent)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot write: \(error.localizedDescription)")
        }
        return true
    }

    func makeDirectory(_ path: String) throws(TollgateError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot create the folder: \(error.localizedDescription)")
        }
    }
}

/// One file of the site.
struct SitePage {
    enum Body {
        case page(any PageValues)
        case raw([UInt8])
        /// Read from the history only when the page has to be rendered (a run's whole report).
        case deferred(() throws(TollgateError) -> Body)
    }

    var path: String
    var title: String
    /// Relative path from the page's folder to the site root (`""` or `"../"`).
    var root: String
    var body: Body
    /// Depends only on inputs that never change (a recorded run), so it can be skipped when rendered before.
    var immutable = false
}
