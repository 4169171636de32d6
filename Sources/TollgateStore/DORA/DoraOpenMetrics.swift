/// DORA figures as OpenMetrics text, for Prometheus' node_exporter textfile collector.
///
/// Every family is a gauge (the figures go up and down with the window); samples of one family
/// stay together, N/A figures are left out rather than written as NaN, and the text ends with
/// `# EOF`, which the classic text parser reads as a comment.
enum DoraOpenMetrics {
    struct Family: Sendable {
        var name: String
        var help: String
        var unit: String? = nil
        var samples: @Sendable (DoraReport) -> [(labels: [(String, String)], value: Double?)]
    }

    static func levelValue(_ level: DoraLevel?) -> Double? {
        level.map { Double(DoraLevel.allCases.firstIndex(of: $0)! + 1) }
    }

    static let families: [Family] = [
        Family(name: "tollgate_dora_deployments", help: "Production deployments in the window.") { r in
            [([], Double(r.deploymentFrequency.deployments))]
        },
        Family(name: "tollgate_dora_deployment_frequency_per_day", help: "Production deployments per day over the window.") { r in
            [([], r.deploymentFrequency.perDay)]
        },
        Family(name: "tollgate_dora_change_lead_time_seconds", help: "Commit to first production deployment (lower median, nearest-rank p90).", unit: "seconds")
        { r in
            [([("stat", "median")], r.changeLeadTime.median), ([("stat", "p90")], r.changeLeadTime.p90)]
        },
        Family(name: "tollgate_dora_change_failure_ratio", help: "Share of production deployments that failed (incident, hotfix or rollback).", unit: "ratio") {
            r in
            [([], r.changeFailureRate.value)]
        },
        Family(
            name: "tollgate_dora_failed_deployment_recovery_time_seconds", help: "Failed deployment to recovery (lower median, nearest-rank p90).",
            unit: "seconds"
        ) { r in
            [([("stat", "median")], r.failedDeploymentRecoveryTime.median), ([("stat", "p90")], r.failedDeploymentRecoveryTime.p90)]
        },
        Family(
            name: "tollgate_dora_time_to_restore_service_seconds",
            help: "Incident opened to resolved (lower median, nearest-rank p90); DORA 2021's recovery figure.", unit: "seconds"
        ) { r in
            [([("stat", "median")], r.timeToRestoreService.median), ([("stat", "p90")], r.timeToRestoreService.p90)]
        },
        Family(
            name: "tollgate_dora_incidents_tracked",
            help:
                "1 when an incident or incident-tracking event is recorded for the model before the window's end, else 0 (the change failure rate then has no level)."
        ) { r in
            [([], r.incidentsTrackedSince == nil ? 0 : 1)]
        },
        Family(name: "tollgate_dora_rework_ratio", help: "Share of production deployments that were unplanned (hotfix or rollback).", unit: "ratio") { r in
            [([], r.reworkRate.value)]
        },
        Family(name: "tollgate_dora_performance_level", help: "DORA level under the report year: 1 low, 2 medium, 3 high, 4 elite.") { r in
            [
                ([("metric", "deployment_frequency")], levelValue(r.deploymentFrequency.level)),
                ([("metric", "change_lead_time")], levelValue(r.changeLeadTime.level)),
                ([("metric", "change_failure_rate")], levelValue(r.changeFailureRate.level)),
                ([("metric", "failed_deployment_recovery_time")], levelValue(r.failedDeploymentRecoveryTime.level)),
                ([("metric", "time_to_restore_service")], levelValue(r.timeToRestoreService.level))
            ].map { ($0.0 + [("report_year", String(r.reportYear))], $0.1) }
        },
        Family(name: "tollgate_model_age_seconds", help: "Time since the production version was deployed.", unit: "seconds") { r in
            [([("version", r.ml.productionVersion ?? "")], r.ml.modelAge)]
        },
        Family(name: "tollgate_registration_to_production_seconds", help: "Registration to first production deployment (lower median).", unit: "seconds") { r in
            [([("stat", "median")], r.ml.registrationToProduction.median)]
        },
        Family(name: "tollgate_gate_pass_ratio", help: "Share of candidate evaluations the gate passed.", unit: "ratio") { r in
            [([], r.ml.gatePassRate.value)]
        },
        Family(name: "tollgate_rollback_ratio", help: "Share of production deployments that were rollbacks.", unit: "ratio") { r in
            [([], r.ml.rollbackRate.value)]
        },
        Family(name: "tollgate_canary_analyses", help: "Canary analyses whose latest look fell in the window, by verdict.") { r in
            [
                ([("verdict", "pass")], Double(r.ml.canary.passed)), ([("verdict", "fail")], Double(r.ml.canary.failed)),
                ([("verdict", "undecided")], Double(r.ml.canary.undecided))
            ]
        },
        Family(name: "tollgate_flaky_checks", help: "Checks whose outcome changed between runs of one version on the same data.") { r in
            [([], Double(r.ml.flakyChecks.count))]
        }
    ]

    static func render(_ reports: [DoraReport]) -> String {
        var out = ""
        for family in families {
            let name = family.unit.map { family.name.hasSuffix("_" + $0) ? family.name : family.name + "_" + $0 } ?? family.name
            out += "# TYPE \(name) gauge\n"
            if let unit = family.unit { out += "# UNIT \(name) \(unit)\n" }
            out += "# HELP \(name) \(escapeHelp(family.help))\n"
            for report in reports {
                for sample in family.samples(report) {
                    guard let value = sample.value, value.isFinite else { continue }
                    let labels = [("model", report.model)] + sample.labels + [("window_days", String(report.window.days))]
                    out += name + "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "} " + format(value) + "\n"
                }
            }
        }
        return out + "# EOF\n"
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    static func escapeLabel(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
