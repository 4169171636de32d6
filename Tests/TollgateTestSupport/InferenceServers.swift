import Foundation

/// The real inference servers `scripts/serving.sh start` runs on 127.0.0.1 (MLServer with the
/// two scikit-learn models of fixtures/serving, and `mlflow models serve`), found through the
/// variables `scripts/test.sh` exports.
///
/// Unlike PostgreSQL, which `scripts/postgres.sh` may leave running between runs, these servers
/// are not started from inside a test: nothing would stop them afterwards. A test run by hand
/// without them fails, saying how to start them.
public enum InferenceServers {
    public static func mlserverURL() throws -> String { try url("TOLLGATE_TEST_MLSERVER_URL") }
    public static func mlflowServeURL() throws -> String { try url("TOLLGATE_TEST_MLFLOW_SERVE_URL") }

    private static func url(_ variable: String) throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw SupportError(
                message: "\(variable) is not set: run the tests with scripts/test.sh, or start the servers with "
                    + "eval \"$(scripts/serving.sh start)\" before swift test (and scripts/serving.sh stop afterwards)")
        }
        return url
    }
}
