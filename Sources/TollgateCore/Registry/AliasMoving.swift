/// A registry whose aliases Tollgate may move: what `promote` and `run --promote` need.
///
/// The move is a compare-and-set: it goes ahead only while the alias still names the version
/// the caller resolved it to, so a promotion decided on a stale view (someone moved the alias
/// in between) is refused instead of silently overwriting their change.
public protocol AliasMoving: Registry {
    /// Points `alias` of `model` at `version` if it still names `expected` (nil: no version),
    /// then runs `commit`; when `commit` throws, the alias is put back and the error rethrown.
    func moveAlias(
        _ alias: String, of model: String, to version: String, expecting expected: String?,
        commit: (AliasReceipt) throws(TollgateError) -> Void
    ) throws(TollgateError)
}

/// What a move replaced.
public struct AliasReceipt: Sendable, Equatable {
    /// The version the alias named before the move, if any.
    public var previousVersion: String?

    public init(previousVersion: String?) { self.previousVersion = previousVersion }
}

extension AliasMoving {
    /// The refusal when the alias no longer names what the caller resolved.
    static func moved(_ alias: String, of model: String, now current: String?, expected: String?, at location: SourceLocation?) -> TollgateError {
        TollgateError(
            .registry, at: location,
            "@\(alias) of \(model) was moved by someone else: it names \(current.map { "version \($0)" } ?? "no version") now, "
                + "not \(expected.map { "version \($0)" } ?? "no version") as when it was resolved; nothing promoted, nothing recorded")
    }
}

extension DirectoryRegistry: AliasMoving {
    /// Under `AliasMove`'s lock: the check, the rename and `commit` happen while no other
    /// promotion can touch `model.yaml`, and a refusal puts the old file back.
    public func moveAlias(
        _ alias: String, of model: String, to version: String, expecting expected: String?,
        commit: (AliasReceipt) throws(TollgateError) -> Void
    ) throws(TollgateError) {
        try AliasMove(registry: self, model: model, alias: alias, version: version).apply { (receipt: AliasMove.Receipt) throws(TollgateError) in
            guard receipt.previousVersion == expected else {
                throw Self.moved(alias, of: model, now: receipt.previousVersion, expected: expected, at: SourceLocation(file: receipt.file))
            }
            try commit(AliasReceipt(previousVersion: receipt.previousVersion))
        }
    }
}
