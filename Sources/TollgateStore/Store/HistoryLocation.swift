import Foundation
import TollgateCore

/// Which store `--history` names: a file path or `sqlite:` URL, or a `postgres://` URL.
public enum HistoryLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default: `.tollgate/history.sqlite` beside the config, so a repository keeps its own.
    public static func beside(config: String) -> HistoryLocation {
        let directory = (config as NSString).deletingLastPathComponent
        return .sqlite(path: ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(".tollgate/history.sqlite"))
    }

    public init(_ text: String) throws(TollgateError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy(\.isLetter), text[..<colon].count > 1, text.contains("://") {
            throw TollgateError(
                .history, at: SourceLocation(file: "--history"), "unknown history store '\(text[..<colon])'; expected a file path, sqlite:PATH or postgres://…")
        } else {
            guard !text.isEmpty else { throw TollgateError(.history, at: SourceLocation(file: "--history"), "expected a file path or URL") }
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): PostgresDatabase.redacted(url)
        }
    }
}
