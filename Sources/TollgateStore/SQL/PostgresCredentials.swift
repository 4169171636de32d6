/// Who to connect as when a `postgres://` URL leaves it out.
///
/// The command line fills this from libpq's `PGUSER` and `PGPASSWORD`, so a password need not
/// sit in a URL that CI logs; the library itself reads no environment.
public struct PostgresCredentials: Sendable, Equatable {
    public var user: String?
    public var password: String?

    public init(user: String? = nil, password: String? = nil) {
        self.user = user
        self.password = password
    }
}
