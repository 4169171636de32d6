/// The one error the libraries throw: the gate could not decide, and here is why and where.
///
/// Every such error ends a run with exit code 2 (fail closed). Keeping a single `Equatable`
/// type with a location lets a test compare a whole error, and lets the command line print
/// one line that names the file, line and column and what was expected there.
public struct TollgateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What part of the input was at fault; shown as a prefix and useful for tests.
    public enum Kind: String, Sendable, Equatable, Codable {
        case config
        case check
        case registry
        case dataset
        case predictions
        case integrity
        case io
        /// The history store, or an event that would make it inconsistent.
        case history
        /// A live scorer (a served model, a scoring program) that could not score the dataset.
        case scoring
    }

    public var kind: Kind
    public var location: SourceLocation?
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation? = nil, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
