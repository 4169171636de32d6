import Foundation
import Testing
import TollgateCore

/// The answers `tollgate serve` gives, by route and verdict, without a socket (ServeTests
/// checks the same over one). Flagger counts only a status ≤ 202 as success; Argo's web
/// provider counts any non-2xx as an Error measurement.
@Suite("Canary HTTP contract")
struct CanaryHTTPContractTests {
    static func verdict(_ v: CanaryVerdict.Verdict) -> CanaryVerdict { CanaryVerdict(verdict: v, looks: 1, checks: [], unpaired: nil) }

    static func reply(_ method: String, _ uri: String, _ v: CanaryVerdict.Verdict) -> CanaryHTTPContract.Reply {
        CanaryHTTPContract.reply(method: method, uri: uri, analysis: "credit-risk") { () throws(TollgateError) -> CanaryVerdict in verdict(v) }
    }

    static let verdicts: [CanaryVerdict.Verdict] = [.pass, .fail, .continue, .inconclusive]

    @Test("Argo's GET is 200 for every computed verdict, with the verdict in the JSON", arguments: verdicts)
    func argo(_ v: CanaryVerdict.Verdict) throws {
        let r = Self.reply("GET", "/v1/analyses/credit-risk?ts=1", v)
        #expect(r.status == 200)
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        #expect(json?["verdict"] as? String == v.rawValue)
    }

    /// hook → the verdicts that answer 200 (all others 500).
    static let flagger: [(String, Set<String>)] = [
        ("rollout", ["pass", "continue", "inconclusive"]), ("pre-rollout", ["pass", "continue", "inconclusive"]),
        ("confirm-rollout", ["pass", "continue", "inconclusive"]), ("confirm-traffic-increase", ["pass", "continue", "inconclusive"]),
        ("confirm-promotion", ["pass"]), ("rollback", ["fail"]), ("post-rollout", ["pass", "fail", "continue", "inconclusive"]),
        ("event", ["pass", "fail", "continue", "inconclusive"])
    ]

    @Test("each Flagger hook answers 200 or 500 by its meaning, never another success code", arguments: flagger)
    func flaggerHooks(_ hook: String, _ succeeding: Set<String>) {
        for v in Self.verdicts {
            let r = Self.reply("POST", "/flagger/\(hook)", v)
            #expect(r.status == (succeeding.contains(v.rawValue) ? 200 : 500), "\(hook) on \(v.rawValue)")
        }
    }

    @Test("a look that cannot be computed is a 500 with the located message, on every route")
    func failures() throws {
        for (method, uri) in [("GET", "/v1/analyses/credit-risk"), ("POST", "/flagger/rollout"), ("POST", "/flagger/rollback")] {
            let r = CanaryHTTPContract.reply(method: method, uri: uri, analysis: "credit-risk") { () throws(TollgateError) -> CanaryVerdict in
                throw TollgateError(.dataset, at: SourceLocation(file: "events.jsonl", line: 7), "bad ts")
            }
            #expect(r.status == 500)
            let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            #expect((json?["error"] as? String ?? "").contains("events.jsonl:7"), "\(uri)")
        }
    }

    @Test("other names, methods and paths are errors a controller reports, not verdicts")
    func routes() {
        #expect(Self.reply("GET", "/v1/analyses/other", .pass).status == 404)
        #expect(Self.reply("GET", "/v1/analyses/credit%2Drisk", .pass).status == 200)
        #expect(Self.reply("PUT", "/v1/analyses/credit-risk", .pass).status == 405)
        #expect(Self.reply("GET", "/flagger/rollout", .pass).status == 405)
        #expect(Self.reply("POST", "/flagger/unknown", .pass).status == 404)
        #expect(Self.reply("GET", "/v1/analyses", .pass).status == 404)
        #expect(Self.reply("GET", "/healthz", .fail).status == 200)
    }
}
