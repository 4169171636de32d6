import Foundation

/// What an MLflow server said when it refused a request: `{"error_code", "message"}`.
///
/// Kept whole so a message can quote the server's own words (`RESOURCE_DOES_NOT_EXIST: …`).
struct MLflowAPIError: Sendable, Equatable {
    var status: Int
    var code: String?
    var message: String?

    init(status: Int, body: Data) {
        self.status = status
        struct Wire: Decodable {
            var error_code: String?
            var message: String?
        }
        let wire = try? JSONDecoder().decode(Wire.self, from: body)
        code = wire?.error_code
        message = wire?.message
        if code == nil, message == nil, !body.isEmpty {
            // Not MLflow's JSON (a proxy's page, the auth app's plain text, another JSON shape): its first line.
            message = String(decoding: body.prefix(300), as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
        }
    }

    var isNotFound: Bool { code == "RESOURCE_DOES_NOT_EXIST" || status == 404 }

    /// `HTTP 404 RESOURCE_DOES_NOT_EXIST: Registered Model with name=x not found`.
    var words: String {
        var text = "HTTP \(status)"
        if let code { text += " \(code)" }
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }
}
