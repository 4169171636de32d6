/// What a template may read, as a typed value: a page (or a row of one) is a struct whose
/// stored properties are exactly the tags its template uses.
///
/// swift-mustache renders a missing key as nothing, silently; with pages as structs there are
/// no key strings in the code, so a misspelt key is a compile error, and `TemplateKeysTests`
/// checks every default template's tags against these types. Properties hold preformatted
/// `String`s (Mustache prints a `Double` with every digit), `Bool`s for sections, `RawHTML`
/// for Tollgate's own markup, and nested values or arrays of them for lists.
protocol TemplateValues {}

/// A page of the site: its values, and the template that renders them.
protocol PageValues: TemplateValues {
    /// The template's name in `SiteTemplates.pageNames`.
    static var template: String { get }
}

extension TemplateValues {
    /// The Mustache context: the one place a value becomes keys. Each stored property becomes a
    /// key of the same name; nested values and arrays of them become nested contexts.
    ///
    /// Converted once, before rendering, so Mustache looks keys up in a dictionary rather than
    /// reflecting on the value at every tag.
    var context: [String: Any] {
        var context: [String: Any] = [:]
        for child in Mirror(reflecting: self).children {
            guard let key = child.label else { continue }
            context[key] = Self.templateValue(child.value)
        }
        return context
    }

    static func templateValue(_ value: Any) -> Any {
        switch value {
        case let values as TemplateValues: return values.context
        case let list as [TemplateValues]: return list.map(\.context)
        case is String, is Bool, is RawHTML: return value
        default: preconditionFailure("a template value must be a String, Bool, RawHTML, TemplateValues or a list of them, not \(type(of: value))")
        }
    }
}
