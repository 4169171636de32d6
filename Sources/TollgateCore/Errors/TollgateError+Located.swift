/// Filling in the place an error happened when the code that threw it could not know it.
///
/// A byte source knows its file but not which record it was reading; a file opener knows the
/// path but not which config line named it. The caller that knows adds what is missing, so
/// every exit-2 message names a line the user can open (issue #15).
extension TollgateError {
    /// The same error at `line` of its file, unless it already names a line.
    func locatedAtLine(_ line: Int) -> TollgateError {
        guard var location, location.line == nil else { return self }
        location.line = line
        var copy = self
        copy.location = location
        return copy
    }

    /// The same error placed at the config line that named the file, when the file itself gave
    /// no line (missing, a folder, unreadable); the file's path moves into the message.
    public func named(by origin: SourceLocation?, key: String) -> TollgateError {
        guard let origin, origin.line != nil, location?.line == nil else { return self }
        let file = location?.file ?? "the file"
        return TollgateError(kind, at: origin, "\(key) '\(file)': \(message)")
    }
}
