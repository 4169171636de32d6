/// Summation that matches the reference libraries to the last bit where it can.
enum Summation {
    /// numpy's pairwise summation (`pairwise_sum` in its add loop): blocks of 128 summed with
    /// eight accumulators, halves above that. Bit-for-bit what `np.sum` and `np.mean` return
    /// for a contiguous float64 array, which matters where scikit-learn compares with zero
    /// (R² of a constant target).
    static func pairwise(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            var r = 0.0
            for x in a { r += x }
            return r
        }
        if n <= 128 {
            var r0 = a[0]
            var r1 = a[1]
            var r2 = a[2]
            var r3 = a[3]
            var r4 = a[4]
            var r5 = a[5]
            var r6 = a[6]
            var r7 = a[7]
            var i = 8
            let limit = n - n % 8
            while i < limit {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                result += a[i]
                i += 1
            }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwise(UnsafeBufferPointer(rebasing: a[0..<half])) + pairwise(UnsafeBufferPointer(rebasing: a[half...]))
    }

    static func pairwise(_ a: [Double]) -> Double { a.withUnsafeBufferPointer { pairwise($0) } }

    /// `np.mean`: the pairwise sum divided by the count.
    static func mean(_ a: [Double]) -> Double { pairwise(a) / Double(a.count) }
}

/// Neumaier's compensated sum for streaming totals: error independent of the row count, so a
/// ten-million-row log loss agrees with numpy's pairwise result far inside 1e-9.
struct CompensatedSum: Sendable, Equatable {
    private(set) var sum = 0.0
    private var compensation = 0.0

    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    mutating func add(_ other: CompensatedSum) {
        add(other.sum)
        add(other.compensation)
    }

    var value: Double { sum + compensation }
}
