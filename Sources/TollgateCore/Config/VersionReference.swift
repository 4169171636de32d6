import Foundation

/// How a config names a version: through a movable alias (`@champion`) or literally (`"3"`).
public struct VersionReference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case alias(String)
        case version(String)
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// `@name` is an alias; anything else is a version as the registry spells it.
    public init(parsing text: String, location: SourceLocation) throws(TollgateError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("@") {
            let name = String(trimmed.dropFirst())
            guard !name.isEmpty else { throw TollgateError(.config, at: location, "expected an alias name after '@'") }
            self.init(.alias(name), location: location)
        } else {
            guard !trimmed.isEmpty else { throw TollgateError(.config, at: location, "expected a version or '@alias', found nothing") }
            self.init(.version(trimmed), location: location)
        }
    }

    public var description: String {
        switch kind {
        case .alias(let name): "@\(name)"
        case .version(let version): version
        }
    }
}
