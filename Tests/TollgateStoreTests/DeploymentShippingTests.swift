import Foundation
import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// `Deployment(shipping:)`: what a deployment takes from the version's registry entry.
@Suite("Deployment of a registered version")
struct DeploymentShippingTests {
    static let at = Instant(rfc3339: "2026-06-01T10:00:00Z")!

    /// Version 2 of the fixture's registry, its `source.committed_at` replaced when asked.
    func version(committedAt: String = "2025-12-31T12:00:00Z") throws -> ModelVersion {
        var fixture = GateFixture()
        fixture.files["registry/credit/2/version.yaml"] = fixture.files["registry/credit/2/version.yaml"]!
            .replacingOccurrences(of: "2025-12-31T12:00:00Z", with: committedAt)
        let scratch = try ScratchDirectory()
        let registry = try GateConfig.load(path: try fixture.write(to: scratch)).registry()
        return try registry.version("2", of: try registry.model("credit"), referencedAt: nil)
    }

    @Test("by default the commit, its time and the registration time come from the version")
    func defaults() throws {
        let d = try Deployment(shipping: try version(), id: "d", at: Self.at, recordedAt: Self.at)
        #expect(d.model == "credit" && d.version == "2" && d.environment == Deployment.production && d.type == .planned)
        #expect(d.commit == "0123456789abcdef0123456789abcdef01234567")
        #expect(d.committedAt == Instant(rfc3339: "2025-12-31T12:00:00Z"))
        #expect(d.registeredAt == Instant(rfc3339: "2026-02-01T00:00:00Z"))
    }

    @Test("a commit given without its time does not borrow the version's commit time")
    func givenCommit() throws {
        let d = try Deployment(shipping: try version(), id: "d", at: Self.at, type: .hotfix, commit: "def456", remediates: "d0", recordedAt: Self.at)
        #expect(d.commit == "def456" && d.committedAt == nil && d.type == .hotfix && d.remediates == "d0")
        let timed = try Deployment(shipping: try version(committedAt: "nonsense"), id: "d", at: Self.at, committedAt: Self.at, recordedAt: Self.at)
        #expect(timed.commit == "0123456789abcdef0123456789abcdef01234567" && timed.committedAt == Self.at)
    }

    @Test("a source.committed_at that is not a time is refused at the version.yaml, not dropped")
    func malformed() throws {
        let soon = try version(committedAt: "soon")
        let error = try #require(throws: TollgateError.self) {
            try Deployment(shipping: soon, id: "d", at: Self.at, recordedAt: Self.at)
        }
        #expect(error == TollgateError(.registry, at: soon.location, "source.committed_at 'soon' is not an RFC 3339 time"))
    }
}
