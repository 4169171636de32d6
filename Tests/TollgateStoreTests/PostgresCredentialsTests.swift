import Testing
import TollgateCore
import TollgateStore

/// The user and password a `postgres://` URL leaves out come from the caller, never from the
/// environment the library runs in.
@Suite("PostgreSQL credentials")
struct PostgresCredentialsTests {
    static let noUser = "postgres://127.0.0.1:1/none?sslmode=disable"

    @Test("a URL without a user and no credentials is refused before connecting")
    func noUserRefused() {
        let expected = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, got '\(Self.noUser)'"
        #expect(throws: TollgateError(.history, at: TollgateCore.SourceLocation(file: "--history"), expected)) {
            try PostgresDatabase(url: Self.noUser, credentials: PostgresCredentials())
        }
    }

    @Test("the credentials' user stands in for the URL's: the store then tries to connect")
    func credentialsUser() {
        let error = #expect(throws: TollgateError.self) {
            try PostgresDatabase(url: Self.noUser, credentials: PostgresCredentials(user: "nobody", password: "secret"))
        }
        #expect(error?.message.contains("cannot reach the history at postgres none at 127.0.0.1:1") == true, "\(String(describing: error))")
    }
}
