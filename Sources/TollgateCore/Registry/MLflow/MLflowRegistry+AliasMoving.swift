/// Promotion against MLflow: `POST registered-models/alias`, checked first against a fresh read.
///
/// MLflow has no conditional alias update, so the compare-and-set is a read right before the
/// write: it catches any move made since the gate resolved the alias (minutes, during
/// evaluation), leaving only the milliseconds between the two requests uncovered.
extension MLflowRegistry: AliasMoving {
    public func moveAlias(
        _ alias: String, of model: String, to version: String, expecting expected: String?,
        commit: (AliasReceipt) throws(TollgateError) -> Void
    ) throws(TollgateError) {
        let client = try self.client
        let current = try currentAlias(alias, of: model, at: location, required: false)
        guard current == expected else { throw Self.moved(alias, of: model, now: current, expected: expected, at: location) }
        try set(alias, of: model, to: version, client)
        do {
            try commit(AliasReceipt(previousVersion: current))
        } catch {
            // Put back what was there, so the registry never names a champion the history lacks.
            if let current {
                try? set(alias, of: model, to: current, client)
            } else {
                _ = try? client.write("DELETE", "\(Self.api)/registered-models/alias", json: ["name": model, "alias": alias])
            }
            throw error
        }
    }

    private func set(_ alias: String, of model: String, to version: String, _ client: MLflowClient) throws(TollgateError) {
        let json = ["name": model, "alias": alias, "version": version]
        if case .refused(let error) = try client.write("POST", "\(Self.api)/registered-models/alias", json: json) {
            throw client.refusal(error, what: "moving @\(alias) of \(model) to version \(version)", at: location)
        }
    }
}
