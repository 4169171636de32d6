import Foundation

/// Everything a canary look carries to the next one, saved as versioned JSON (`--state FILE`).
///
/// Why these fields: each look is a new process that reads only new events, so each check
/// keeps its per-arm sufficient statistics and its sequential state (ρ, the intersected
/// confidence sequence, the running-minimum p-value); the file positions say where reading
/// resumes; the config's sha256 makes a state refuse to continue under a different config.
public struct CanaryState: Sendable, Equatable, Codable {
    public static let currentVersion = 1

    public struct CheckState: Sendable, Equatable, Codable {
        public var expression: String
        public var baseline = ArmStatistics()
        public var canary = ArmStatistics()
        /// Shadow mode: per-request canary − baseline differences.
        public var paired = ArmStatistics()
        public var sequential = SequentialState()
        /// Quantile checks: the latency threshold, once frozen, and the latencies held until
        /// then (per arm; in shadow mode aligned by pair).
        public var threshold: Double?
        /// Quantile checks: the baseline's frozen quantile Q̂ (later baseline latencies are
        /// counted above it, canary latencies above `threshold`).
        public var baselineQuantile: Double?
        public var burnInBaseline: [Double] = []
        public var burnInCanary: [Double] = []
        public init(expression: String) { self.expression = expression }
    }

    public var version: Int
    public var configSHA256: String
    public var looks: Int
    /// Earliest and latest event times seen, for `max_duration`.
    public var firstTime: Double?
    public var lastTime: Double?
    /// Where each events file was read up to.
    public var positions: [String: CanaryEventReader.Position]
    public var checks: [CheckState]
    /// Shadow mode: events whose request has not yet been seen from the other arm, by request_id.
    public var pending: [String: CanaryEvent]
    /// The analysis the looks of this state belong to in the history (`--history`), made at the
    /// first recorded look; absent in states written before looks were recorded.
    public var analysisID: String?
    /// A Prometheus source: each counter's value at the last look (by arm and query), so the
    /// next look reads only the increase.
    public var prometheusCounters: [String: Double]?

    /// A fresh state for `config`.
    public init(for config: CanaryConfig) {
        version = Self.currentVersion
        configSHA256 = config.sha256
        looks = 0
        positions = [:]
        pending = [:]
        checks = config.checks.map { CheckState(expression: $0.check.source) }
    }

    enum CodingKeys: String, CodingKey {
        case version, looks, positions, checks, pending
        case configSHA256 = "config_sha256"
        case firstTime = "first_time"
        case lastTime = "last_time"
        case analysisID = "analysis_id"
        case prometheusCounters = "prometheus_counters"
    }

    /// Reads a state file, or a fresh state when it does not exist yet; refuses another config's state.
    public static func load(path: String, for config: CanaryConfig) throws(TollgateError) -> CanaryState {
        guard FileManager.default.fileExists(atPath: path) else { return CanaryState(for: config) }
        let state: CanaryState
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let header = try JSONDecoder().decode(Header.self, from: data)
            guard header.version == currentVersion else {
                throw TollgateError(.config, at: SourceLocation(file: path), "state version \(header.version) is not \(currentVersion); start a new state file")
            }
            state = try JSONDecoder().decode(CanaryState.self, from: data)
        } catch let error as TollgateError {
            throw error
        } catch {
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot read the canary state: \(error)")
        }
        if let problem = state.invalidField() {
            throw TollgateError(.config, at: SourceLocation(file: path), "the canary state is corrupt: \(problem); start a new state file")
        }
        guard state.configSHA256 == config.sha256, state.checks.map(\.expression) == config.checks.map(\.check.source) else {
            throw TollgateError(
                .config, at: SourceLocation(file: path),
                "this state was made for a different canary config (sha256 \(state.configSHA256.prefix(12))…); a changed config starts a new test: use a new state file"
            )
        }
        return state
    }

    /// Writes the state atomically (a temporary file renamed over the old one), so a killed
    /// process leaves the previous look's state, never half of one.
    public func save(path: String) throws(TollgateError) {
        try stage(path: path).commit()
    }

    /// A state written beside its file but not yet in place: the look's other records (the
    /// history) are written between `stage` and `commit`, so a failure in either leaves the
    /// previous look's state and no record of this look (`discard`), or both.
    public struct Staged: Sendable {
        public let path: String
        let temporary: String

        /// Renames the written state over the old one.
        public func commit() throws(TollgateError) {
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                discard()
                throw TollgateError(.io, at: SourceLocation(file: path), "cannot write the canary state: \(reason)")
            }
        }

        public func discard() { unlink(temporary) }
    }

    /// Writes the state to a temporary file in the state file's folder (same file system, so
    /// the rename in `commit` is atomic).
    public func stage(path: String) throws(TollgateError) -> Staged {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            throw TollgateError(.io, at: SourceLocation(file: path), "cannot write the canary state: \(GateConfig.reason(error))")
        }
        return Staged(path: path, temporary: temporary)
    }

    private struct Header: Decodable { let version: Int }

    /// The first field a decodable but impossible state holds (a negative count or position, a
    /// negative or non-finite M2, ρ ≤ 0, a p-value outside [0, 1]), or nil when it is sound.
    func invalidField() -> String? {
        guard looks >= 0 else { return "looks is \(looks)" }
        for (file, position) in positions.sorted(by: { $0.key < $1.key }) where position.byte < 0 || position.line < 0 {
            return "the position of \(file) is byte \(position.byte), line \(position.line)"
        }
        for check in checks {
            for (name, arm) in [("baseline", check.baseline), ("canary", check.canary), ("paired", check.paired)] {
                guard arm.count >= 0 else { return "\(check.expression): the \(name) count is \(arm.count)" }
                guard arm.m2 >= 0, arm.m2.isFinite, arm.mean.isFinite else { return "\(check.expression): the \(name) mean/m2 is \(arm.mean)/\(arm.m2)" }
            }
            let sequential = check.sequential
            if let rho = sequential.rho, !(rho > 0 && rho.isFinite) { return "\(check.expression): rho is \(rho)" }
            guard sequential.pValue >= 0, sequential.pValue <= 1 else { return "\(check.expression): p_value is \(sequential.pValue)" }
            guard sequential.looks >= 0 else { return "\(check.expression): looks is \(sequential.looks)" }
            if let threshold = check.threshold, !threshold.isFinite { return "\(check.expression): threshold is \(threshold)" }
        }
        return nil
    }
}
