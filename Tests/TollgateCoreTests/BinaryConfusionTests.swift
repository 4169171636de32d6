import Testing

@testable import TollgateCore

/// The one binary confusion formula the streaming pass, the resampled metrics and the resampled
/// fairness groups share, against counts worked out by hand.
@Suite struct BinaryConfusionTests {
    /// tp 3, fp 1, tn 4, fn 2: ten rows, five of each class, four decided positive.
    static let worked = BinaryConfusion(truePositives: 3, falsePositives: 1, trueNegatives: 4, falseNegatives: 2)

    @Test func theRatiosOfHandWorkedCounts() {
        let c = Self.worked
        #expect(c.count == 10)
        #expect(c.value(.accuracy) == 7.0 / 10)
        #expect(c.value(.precision) == 3.0 / 4)
        #expect(c.value(.recall) == 3.0 / 5)
        #expect(c.value(.f1) == 6.0 / 9)
        #expect(c.value(.selectionRate) == 4.0 / 10)
        #expect(c.value(.falsePositiveRate) == 1.0 / 5)
        #expect(c.value(.falseNegativeRate) == 2.0 / 5)
        #expect(c.value(.balancedAccuracy) == (4.0 / 5 + 3.0 / 5) / 2)
        // (tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = 10 / √600
        #expect(abs(c.value(.mcc) - 10 / 600.0.squareRoot()) < 1e-15)
    }

    @Test func everyMetricIsKeyedByItsScikitLearnName() {
        let metrics = Self.worked.metrics
        #expect(
            metrics.keys.sorted() == [
                "accuracy", "balanced_accuracy", "f1", "false_negative_rate", "false_positive_rate", "mcc", "precision", "recall", "selection_rate"
            ])
        for metric in BinaryConfusion.Metric.allCases { #expect(metrics[metric.rawValue] == Self.worked.value(metric)) }
    }

    @Test func noRowsAtAll() {
        let c = BinaryConfusion()
        // Rates over all rows are undefined; zero_division ratios are 0.0; MCC with no variance is 0.0.
        #expect(c.value(.accuracy).isNaN)
        #expect(c.value(.selectionRate).isNaN)
        #expect(c.value(.balancedAccuracy).isNaN)
        for metric: BinaryConfusion.Metric in [.precision, .recall, .f1, .falsePositiveRate, .falseNegativeRate, .mcc] {
            #expect(c.value(metric) == 0, "\(metric)")
        }
    }

    @Test func onlyNegativesAllDecidedNegative() {
        let c = BinaryConfusion(truePositives: 0, falsePositives: 0, trueNegatives: 5, falseNegatives: 0)
        #expect(c.value(.accuracy) == 1)
        #expect(c.value(.balancedAccuracy) == 1) // the mean over the one class present
        #expect(c.value(.precision) == 0)
        #expect(c.value(.recall) == 0)
        #expect(c.value(.f1) == 0)
        #expect(c.value(.selectionRate) == 0)
        #expect(c.value(.falsePositiveRate) == 0)
        #expect(c.value(.falseNegativeRate) == 0)
        #expect(c.value(.mcc) == 0)
    }

    @Test func everythingDecidedPositive() {
        let c = BinaryConfusion(truePositives: 2, falsePositives: 3, trueNegatives: 0, falseNegatives: 0)
        #expect(c.value(.precision) == 2.0 / 5)
        #expect(c.value(.recall) == 1)
        #expect(c.value(.falsePositiveRate) == 1)
        #expect(c.value(.balancedAccuracy) == 0.5)
        #expect(c.value(.mcc) == 0) // the decisions do not vary
    }

    @Test func weightedRowsCountAsOftenAsDrawn() {
        var c = BinaryConfusion()
        c.add(positive: true, decided: true, weight: 3)
        c.add(positive: false, decided: true)
        c.add(positive: false, decided: false, weight: 4)
        c.add(positive: true, decided: false, weight: 2)
        c.add(positive: true, decided: false, weight: 0)
        #expect(c == Self.worked)
    }

    @Test func theStreamingAccumulatorScoresItsCountsHere() {
        var accumulator = BinaryAccumulator(threshold: 0.5)
        let rows: [(Bool, Double)] = [
            (true, 0.9), (true, 0.6), (true, 0.7), (true, 0.1), (true, 0.2), (false, 0.8), (false, 0.1), (false, 0.3), (false, 0.4), (false, 0.0)
        ]
        for (positive, score) in rows { accumulator.add(positive: positive, score: score) }
        #expect(accumulator.confusion == Self.worked)
        let metrics = accumulator.metrics()
        for (name, value) in Self.worked.metrics { #expect(metrics[name] == value, "\(name)") }
    }
}
