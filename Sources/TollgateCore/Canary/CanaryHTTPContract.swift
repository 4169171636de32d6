import Foundation

/// What `tollgate serve` answers, as a pure function of the request and a look, so the rules
/// rollout controllers depend on are tested without a socket (and again over one).
///
/// Argo Rollouts' web metric provider treats any non-2xx status as an Error measurement (it
/// counts toward `consecutiveErrorLimit`, not `failureLimit`), so a computed verdict is always
/// 200 and the verdict travels in the JSON (`jsonPath: "{$.verdict}"`). Flagger's webhooks
/// succeed only on a status ≤ 202 and read nothing else, so there the verdict becomes the
/// status: 200 or 500 (never 203/204, which Flagger counts as failures) by the hook's meaning
/// (rollout.md A.3 and R1).
public enum CanaryHTTPContract {
    public struct Reply: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]

        public init(status: Int, body: [UInt8]) {
            self.status = status
            self.body = body
        }
    }

    /// Flagger's webhook types, and when each answers 200.
    public enum FlaggerHook: String, Sendable, CaseIterable {
        case confirmRollout = "confirm-rollout"
        case preRollout = "pre-rollout"
        case rollout
        case confirmTrafficIncrease = "confirm-traffic-increase"
        case confirmPromotion = "confirm-promotion"
        case postRollout = "post-rollout"
        case rollback
        case event

        /// Whether the hook answers 200 for `verdict`; nil for hooks that take no look.
        ///
        /// - `pre-rollout`, `rollout`: a non-2xx is a failed check (rollback after `threshold`),
        ///   so only a decided fail is 500; continue, inconclusive and pass are 200.
        /// - `confirm-rollout`, `confirm-traffic-increase`: gates (a non-2xx makes Flagger wait);
        ///   held only on a fail, since waiting for more data needs traffic to arrive.
        /// - `confirm-promotion`: a gate before promotion: 200 only on pass, otherwise Flagger
        ///   waits while its analysis and rollout hooks keep running.
        /// - `rollback`: a 2xx stops the analysis and rolls back, so 200 only on fail.
        /// - `post-rollout`, `event`: notifications; 200 without a look.
        public func succeeds(_ verdict: CanaryVerdict.Verdict) -> Bool? {
            switch self {
            case .preRollout, .rollout, .confirmRollout, .confirmTrafficIncrease: verdict != .fail
            case .confirmPromotion: verdict == .pass
            case .rollback: verdict == .fail
            case .postRollout, .event: nil
            }
        }
    }

    /// Answers one request. `analysis` is the name this server judges (the config's model);
    /// `look` takes one look at the events.
    public static func reply(method: String, uri: String, analysis: String, look: () throws(TollgateError) -> CanaryVerdict) -> Reply {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
        if path == "/healthz" {
            return method == "GET" ? json(200, ["status": "ok", "analysis": analysis]) : notAllowed(method, path, "GET")
        }
        if parts.count == 4, parts[0].isEmpty, parts[1] == "v1", parts[2] == "analyses" {
            guard method == "GET" else { return notAllowed(method, path, "GET") }
            guard parts[3] == analysis else { return unknownAnalysis(parts[3], analysis) }
            do throws(TollgateError) {
                return Reply(status: 200, body: try look().json())
            } catch {
                return failure(error)
            }
        }
        if parts.count == 3, parts[0].isEmpty, parts[1] == "flagger" {
            guard method == "POST" else { return notAllowed(method, path, "POST") }
            guard let hook = FlaggerHook(rawValue: parts[2]) else {
                return json(404, ["error": "no Flagger hook '\(parts[2])'; expected one of: \(FlaggerHook.allCases.map(\.rawValue).joined(separator: ", "))"])
            }
            guard hook.succeeds(.pass) != nil else { return json(200, ["hook": hook.rawValue, "looked": false]) }
            do throws(TollgateError) {
                let verdict = try look()
                return Reply(status: hook.succeeds(verdict.verdict) == true ? 200 : 500, body: try verdict.json())
            } catch {
                return failure(error)
            }
        }
        return json(404, ["error": "no route \(path); expected GET /v1/analyses/\(analysis), POST /flagger/{hook} or GET /healthz"])
    }

    static func unknownAnalysis(_ name: String, _ analysis: String) -> Reply {
        json(404, ["error": "no analysis named '\(name)'; this server judges '\(analysis)'"])
    }

    static func notAllowed(_ method: String, _ path: String, _ allowed: String) -> Reply {
        json(405, ["error": "\(method) is not allowed on \(path); use \(allowed)"])
    }

    /// A look that could not be computed: a 500 with the located message, never a verdict.
    static func failure(_ error: TollgateError) -> Reply {
        json(500, ["error": error.description])
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(#"{"error":"unencodable reply"}"#.utf8)
        return Reply(status: status, body: [UInt8](data) + [10])
    }
}
