/// McNemar's discordant pairs of each version against the first (the champion), counted as
/// the rows stream by, so the test costs nothing when no rows are kept.
struct McNemarCounts: RowAccumulator {
    /// Counting happens for binary tasks with a champion and a candidate; otherwise `add` is a no-op.
    let enabled: Bool
    let threshold: Double
    /// Per version: rows it gets right and the champion wrong.
    private(set) var onlyThisRight: [Int]
    /// Per version: rows the champion gets right and it wrong.
    private(set) var onlyFirstRight: [Int]
    private(set) var rows = 0

    init(versions: Int, threshold: Double, enabled: Bool) {
        self.enabled = enabled && versions > 1
        self.threshold = threshold
        onlyThisRight = [Int](repeating: 0, count: versions)
        onlyFirstRight = onlyThisRight
    }

    @inline(__always)
    mutating func add(_ row: JoinedRow) {
        guard enabled else { return }
        rows += 1
        let positive = row.label == 1
        let firstRight = (row.predictions[0][0] >= threshold) == positive
        for v in 1..<row.versionCount {
            let right = (row.predictions[v][0] >= threshold) == positive
            if right != firstRight { if right { onlyThisRight[v] += 1 } else { onlyFirstRight[v] += 1 } }
        }
    }

    /// Per version, the test against the champion; nil for the champion and when not counted.
    consuming func finish() -> [McNemarTest?] {
        onlyThisRight.indices.map { v in
            enabled && v > 0 ? McNemarTest(candidateOnly: onlyThisRight[v], championOnly: onlyFirstRight[v], rows: rows) : nil
        }
    }
}
