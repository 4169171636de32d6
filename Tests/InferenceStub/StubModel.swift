import Foundation

/// The stub's "model": a fixed function of the features, so a test can work out every score.
///
/// p(positive) = 1 / (1 + exp(−(Σ numeric features) / 100)); strings and nulls count as 0.
public enum StubModel {
    public static func probability(_ features: [Any]) -> Double {
        var sum = 0.0
        for value in features {
            if let number = value as? NSNumber { sum += number.doubleValue }
        }
        return 1 / (1 + exp(-sum / 100))
    }

    /// The same function over typed values, for tests that compute the expected scores.
    public static func probability(numbers: [Double]) -> Double {
        1 / (1 + exp(-numbers.reduce(0, +) / 100))
    }
}
