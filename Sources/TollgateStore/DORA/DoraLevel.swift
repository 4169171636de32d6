import TollgateCore

/// A DORA performance level. Absent (`nil` where a level is expected) means "N/A": no data in
/// the window, never a guessed level.
public enum DoraLevel: String, Sendable, Equatable, Codable, Comparable, CaseIterable {
    case low, medium, high, elite

    public static func < (a: DoraLevel, b: DoraLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The cut-offs of one DORA report year, as data.
///
/// DORA's published clusters leave gaps and overlaps (2021 has no "daily to weekly" bucket; its
/// change failure rate is 16–30% for three clusters; 2024's rates are non-monotonic), so they
/// cannot classify on their own. These are Apache DevLake's cut-off rules for the 2021 and 2023
/// reports (`grafana/dashboards/DORA.json`), which fill the gaps openly; see
/// `dora-and-report-sites.md` §A3.4. Durations are seconds; rates are fractions.
public struct DoraBenchmark: Sendable, Equatable {
    public var year: Int
    /// Median deployment days per ISO week at or above which a model is elite.
    public var eliteDeploymentDaysPerWeek: Double
    /// 2023: high needs a deployment day in the median week, medium one in the median month.
    /// 2021: high needs one in the median month, medium one per six months.
    public var highNeedsWeekly: Bool
    public var leadTime: [Double] // elite <, high <, medium <
    public var changeFailureRate: [Double] // elite ≤, high ≤, medium ≤
    /// Cut-offs for the year's recovery figure (`recoveryFigure`).
    public var recoveryTime: [Double] // elite <, high <, medium <

    /// The recovery figures a report year may grade.
    public enum RecoveryFigure: String, Sendable, Equatable {
        case failedDeploymentRecoveryTime, timeToRestoreService
    }

    /// Which recovery figure this year's fourth key is: 2021 graded time to restore service
    /// (incident opened → resolved), 2023 failed deployment recovery time (deployment → recovery).
    public var recoveryFigure: RecoveryFigure

    public func grades(_ figure: RecoveryFigure) -> Bool { recoveryFigure == figure }

    public static let hour = 3600.0
    public static let day = 86_400.0

    public static let y2023 = DoraBenchmark(
        year: 2023, eliteDeploymentDaysPerWeek: 5, highNeedsWeekly: true,
        leadTime: [day, 7 * day, 30 * day], changeFailureRate: [0.05, 0.10, 0.15], recoveryTime: [hour, day, 7 * day],
        recoveryFigure: .failedDeploymentRecoveryTime)
    public static let y2021 = DoraBenchmark(
        year: 2021, eliteDeploymentDaysPerWeek: 5, highNeedsWeekly: false,
        leadTime: [hour, 7 * day, 180 * day], changeFailureRate: [0.15, 0.20, 0.30], recoveryTime: [hour, day, 7 * day],
        recoveryFigure: .timeToRestoreService)

    public static let supported = [y2023, y2021]

    public static func named(_ year: Int) throws(TollgateError) -> DoraBenchmark {
        if let table = supported.first(where: { $0.year == year }) { return table }
        let reason =
            switch year {
            case 2024: "its change failure rates are non-monotonic (elite 5%, high 20%, medium 10%, low 40%), so they cannot classify"
            case 2022: "it has no elite cluster and its buckets leave gaps no published rule fills"
            case 2025: "it replaced performance levels with team profiles"
            default: "there is no level table for it"
            }
        throw TollgateError(.config, at: SourceLocation(file: "--report-year"), "DORA report year \(year) is not supported: \(reason); use 2023 or 2021")
    }

    /// Deployment-day medians → level. `weekly` and `monthly` are lower medians over the ISO weeks
    /// and calendar months of the window; `perSixMonths` is deployment days scaled to 182.5 days.
    public func deploymentFrequency(weekly: Double, monthly: Double, perSixMonths: Double) -> DoraLevel {
        if weekly >= eliteDeploymentDaysPerWeek { return .elite }
        if highNeedsWeekly {
            if weekly >= 1 { return .high }
            if monthly >= 1 { return .medium }
            return .low
        }
        if monthly >= 1 { return .high }
        if perSixMonths >= 1 { return .medium }
        return .low
    }

    public func leadTime(_ seconds: Double) -> DoraLevel { Self.below(seconds, leadTime) }
    public func recoveryTime(_ seconds: Double) -> DoraLevel { Self.below(seconds, recoveryTime) }

    public func changeFailureRate(_ rate: Double) -> DoraLevel {
        if rate <= changeFailureRate[0] { return .elite }
        if rate <= changeFailureRate[1] { return .high }
        if rate <= changeFailureRate[2] { return .medium }
        return .low
    }

    static func below(_ value: Double, _ cuts: [Double]) -> DoraLevel {
        if value < cuts[0] { return .elite }
        if value < cuts[1] { return .high }
        if value < cuts[2] { return .medium }
        return .low
    }
}
