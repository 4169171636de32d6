import Testing
import TollgateTestSupport

@testable import TollgateCore

/// The check language reads like a sentence; these are the sentences DESIGN.md promises.
@Suite struct CheckParserTests {
    let origin = SourceLocation(file: "tollgate.yml", line: 12, column: 7)

    func parse(_ text: String, suite: Suite = .accuracy) throws(TollgateError) -> Check {
        try CheckParser.parse(text, suite: suite, at: origin)
    }

    @Test func aThresholdOnAMetric() throws {
        let check = try parse("roc_auc >= 0.75")
        #expect(check.subject.metric == "roc_auc")
        #expect(check.condition == .compare(.greaterOrEqual, .number(0.75)))
        #expect(check.severity == .block)
        #expect(check.subject.location == SourceLocation(file: "tollgate.yml", line: 12, column: 7))
    }

    @Test func aChangeAgainstTheChampion() throws {
        let check = try parse("roc_auc >= champion - 0.01")
        #expect(check.condition == .compare(.greaterOrEqual, .binary(.subtract, .champion, .number(0.01))))
        guard case .compare(_, let expression) = check.condition else {
            Issue.record("not a comparison")
            return
        }
        #expect(abs(expression.evaluate(champion: 0.8) - 0.79) < 1e-15)
        #expect(expression.mentionsChampion)
    }

    @Test func arithmeticFollowsPrecedenceAndParentheses() throws {
        let check = try parse("p99_ms <= (champion + 2) * 1.10", suite: .latency)
        guard case .compare(.lessOrEqual, let expression) = check.condition else {
            Issue.record("not <=")
            return
        }
        #expect(abs(expression.evaluate(champion: 8) - 11) < 1e-12)
        let plain = try parse("log_loss <= champion + 2 * 0.5")
        guard case .compare(_, let e2) = plain.condition else { return }
        #expect(e2.evaluate(champion: 1) == 2)
    }

    @Test func severityWarn() throws {
        #expect(try parse("f1 >= 0.60 warn").severity == .warn)
        #expect(try parse("f1 >= 0.60 block").severity == .block)
    }

    @Test func slicesAggregatesAndConfidenceParseForLaterSuites() throws {
        let fairness = try parse("equalized_odds_difference[sex, age_band] <= 0.10", suite: .fairness)
        #expect(fairness.subject.slice == ["sex", "age_band"])
        #expect(fairness.subject.key == "equalized_odds_difference[sex, age_band]")
        #expect(try parse("psi[*] < 0.2", suite: .drift).subject.slice == ["*"])
        let worst = try parse("min(recall[age_band]) >= 0.6")
        #expect(worst.subject.aggregate == .min)
        #expect(try parse("roc_auc >= champion - 0.01 @ 95%").confidence == .level(0.95))
        #expect(try parse("roc_auc > champion @ delong 0.05").confidence == .test(name: .delong, alpha: 0.05))
        #expect(try parse("model_card present", suite: .nonfunctional).condition == .present)
        #expect(try parse("license in [mit, apache-2.0]", suite: .nonfunctional).condition == .member(of: ["mit", "apache-2.0"]))
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let text: String
        let column: Int
        let says: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Bad(text: "roc_auc >> 0.75", column: 7 + 9, says: "expected a number or 'champion'"),
        Bad(text: "roc_auc = 0.75", column: 7 + 8, says: "single '='"),
        Bad(text: ">= 0.75", column: 7, says: "expected a metric name"),
        Bad(text: "roc_auc >= ", column: 7 + 11, says: "expected a number or 'champion'"),
        Bad(text: "roc_auc >= 0.75 sometimes", column: 7 + 16, says: "expected the end of the check"),
        Bad(text: "roc_auc >= champ - 0.01", column: 7 + 11, says: "found 'champ'"),
        Bad(text: "recall[sex >= 0.6", column: 7 + 11, says: "to close the slice"),
        Bad(text: "roc_auc >= 75%", column: 7 + 13, says: "plain number"),
        Bad(text: "roc_auc >= champion @ 95", column: 7 + 24, says: "expected '%'"),
        Bad(text: "roc_auc >= (champion - 0.01", column: 7 + 27, says: "to close '('"),
        // An unknown test is refused where it is written, never taken for McNemar.
        Bad(text: "accuracy >= champion @ mcnmar 0.05", column: 7 + 23, says: "'mcnmar' is not a test this build knows (did you mean 'mcnemar'?)"),
        Bad(text: "accuracy >= champion @ wilcoxon 0.05", column: 7 + 23, says: "'wilcoxon' is not a test this build knows")
    ])
    func aMalformedCheckNamesTheColumnAndWhatWasExpected(_ bad: Bad) {
        do {
            _ = try parse(bad.text)
            Issue.record("'\(bad.text)' parsed")
        } catch {
            #expect(error.kind == .check)
            #expect(error.location == SourceLocation(file: "tollgate.yml", line: 12, column: bad.column))
            #expect(error.message.contains(bad.says), "\(error.message)")
            #expect(error.message.contains(bad.text))
        }
    }
}

@Suite struct CheckValidatorTests {
    func validate(_ text: String, suite: Suite = .accuracy, task: Task = .binary) throws(TollgateError) {
        try CheckValidator.validate(
            try CheckParser.parse(text, suite: suite, at: SourceLocation(file: "g.yml", line: 3, column: 7)), task: task, sensitive: ["sex", "age_band"])
    }

    @Test func slicesNameSensitiveFeatures() throws {
        try validate("recall[age_band] >= 0.6", suite: .fairness)
        try validate("min(recall[sex, age_band]) >= 0.5")
        try validate("demographic_parity_ratio[sex] >= 0.8", suite: .fairness)
        let unknown = try #require(throws: TollgateError.self) { try validate("recall[gender] >= 0.6", suite: .fairness) }
        #expect(unknown.message.contains("'gender' is not a sensitive feature"))
        let bare = try #require(throws: TollgateError.self) { try validate("demographic_parity_ratio >= 0.8", suite: .fairness) }
        #expect(bare.message.contains("compares groups"))
        let star = try #require(throws: TollgateError.self) { try validate("recall[*] >= 0.5", suite: .fairness) }
        #expect(star.message.contains("belongs to drift checks"))
        let multiclass = try #require(throws: TollgateError.self) { try validate("demographic_parity_ratio[sex] >= 0.8", suite: .fairness, task: .multiclass) }
        #expect(multiclass.message.contains("does not apply to a multiclass task"))
    }

    @Test func anUnknownMetricSuggestsTheNearestName() {
        #expect(
            throws: TollgateError(
                .check, at: SourceLocation(file: "g.yml", line: 3, column: 7),
                "unknown metric 'roc_uac' (did you mean 'roc_auc'?) in check 'roc_uac >= 0.7'")
        ) {
            try validate("roc_uac >= 0.7")
        }
    }

    @Test func aMetricOfAnotherTaskIsRefused() throws {
        let error = try #require(throws: TollgateError.self) { try validate("rmse <= 3", task: .binary) }
        #expect(error.message.contains("does not apply to a binary task"))
        try validate("rmse <= 3", task: .regression)
        try validate("f1_macro >= 0.5", task: .multiclass)
    }

    @Test func aMetricUnderTheWrongSuiteIsRefused() throws {
        let error = try #require(throws: TollgateError.self) { try validate("psi[*] < 0.2", suite: .accuracy) }
        #expect(error.message.contains("is a drift metric"))
    }

    @Test func driftChecksNameColumnsOrTheWholeDataset() throws {
        try validate("psi[*] < 0.2", suite: .drift)
        try validate("ks_pvalue[age, duration] > 0.05", suite: .drift)
        try validate("drifted_share < 0.5", suite: .drift)
        let bare = try #require(throws: TollgateError.self) { try validate("psi < 0.2", suite: .drift) }
        #expect(bare.message.contains("is per column"))
        let sliced = try #require(throws: TollgateError.self) { try validate("drifted_share[age] < 0.5", suite: .drift) }
        #expect(sliced.message.contains("one number for the dataset"))
        let mixed = try #require(throws: TollgateError.self) { try validate("psi[*, age] < 0.2", suite: .drift) }
        #expect(mixed.message.contains("'*' stands alone"))
    }

    @Test func confidenceOnMetricsThatCannotBeResampledFailsClosed() throws {
        try validate("f1_macro >= champion @ 95%", task: .multiclass)
        try validate("roc_auc_ovr >= 0.7 @ 90%", task: .multiclass)
        try validate("median_ae <= 3 @ 95%", task: .regression)
        let throughput = try #require(throws: TollgateError.self) { try validate("throughput_rps >= 100 @ 95%", suite: .latency) }
        #expect(throughput.message.contains("cannot resample 'throughput_rps'"))
    }

    @Test func testsAgainstTheChampionTakeAMarginOnTheDifference() throws {
        try validate("roc_auc >= champion - 0.01 @ delong 0.05")
        try validate("roc_auc > champion @ delong 0.025")
        try validate("accuracy >= 0.02 + champion - 0.04 @ mcnemar 0.05")
        let refused: [(String, String)] = [
            ("roc_auc >= champion * 0.99 @ delong 0.05", "write the threshold as 'champion - margin'"),
            ("accuracy >= champion / 1.02 @ mcnemar 0.05", "write the threshold as 'champion - margin'"),
            ("accuracy >= 0.7 @ mcnemar 0.05", "compares with the champion"),
            ("roc_auc <= champion + 0.01 @ delong 0.05", "compares with the champion"),
            ("accuracy == champion @ mcnemar 0.05", "compares with the champion"),
            ("roc_auc >= champion @ delong 0.5", "must lie below 0.5"),
            ("log_loss <= champion @ delong 0.05", "not a test this build knows for 'log_loss'"),
            ("f1 >= champion @ mcnemar 0.05", "not a test this build knows for 'f1'")
        ]
        for (text, says) in refused {
            let error = try #require(throws: TollgateError.self) { try validate(text) }
            #expect(error.message.contains(says), "\(text): \(error.message)")
            #expect(error.location == SourceLocation(file: "g.yml", line: 3, column: 7))
        }
    }
}
