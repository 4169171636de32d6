import Foundation
import TollgateCore

/// The model cards of a model's versions, read from the registry for the site.
///
/// The history may name models the registry does not hold (runs of other configs, renamed or
/// retired models): those have no cards, and the site says nothing of them. A model the
/// registry holds is read in full, and what cannot be read (a malformed `version.yaml`, a card
/// that is unreadable or not UTF-8) is an error at that file, exit 2: a site published
/// without a card it should have shown would hide the failure from the reviewer.
enum ModelCards {
    static func read(_ model: String, from registry: any Registry) throws(TollgateError) -> [(version: String, markdown: String)] {
        guard try registry.holds(model: model) else { return [] }
        let registered = try registry.model(model)
        var cards: [(version: String, markdown: String)] = []
        for version in registered.versions {
            guard let path = try registry.version(version, of: registered, referencedAt: nil).modelCard else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TollgateError(.io, at: SourceLocation(file: path), "cannot read the model card of \(model) version \(version)")
            }
            cards.append((version, try UTF8Text.decode(data, file: path, kind: .registry, what: "the model card")))
        }
        return cards
    }
}
