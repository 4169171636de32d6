import Foundation
import TollgateStore

/// Every environment variable the command line reads, in one place: the libraries take what
/// these say as parameters and read no environment themselves.
enum ProcessEnvironment {
    static var variables: [String: String] { ProcessInfo.processInfo.environment }

    /// The commit under test, from the CI system's own variable (the first one set and non-empty).
    static var commit: String? {
        let environment = variables
        for key in ["TOLLGATE_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "GIT_COMMIT"] {
            if let value = environment[key], !value.isEmpty { return value }
        }
        return nil
    }

    /// libpq's `PGUSER` and `PGPASSWORD`, for a `postgres://` history URL without them.
    static var postgresCredentials: PostgresCredentials {
        let environment = variables
        return PostgresCredentials(user: environment["PGUSER"], password: environment["PGPASSWORD"])
    }

    /// GitHub Actions' job summary file, which `run` appends its Markdown to.
    static var githubStepSummary: String? {
        variables["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// no-color.org: set (to anything) means no colour.
    static var noColor: Bool { variables["NO_COLOR"] != nil }
}
