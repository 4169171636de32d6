import Testing
import TollgateCore
import TollgateStore
import TollgateTestSupport

/// The history-line fuzz target's corpus and a thousand seeded mutations, replayed in-process:
/// no crash, and every refusal names its line (README "Fuzzing").
@Suite("History line fuzz replay")
struct HistoryFuzzReplayTests {
    @Test func historyLines() throws {
        let corpus = try SeededMutator.corpus("history")
        #expect(!corpus.isEmpty)
        var mutator = SeededMutator(seed: 6)
        var inputs = corpus.map { ($0.name, $0.bytes) }
        for variant in 0..<1_000 {
            let (name, bytes) = corpus[mutator.below(corpus.count)]
            inputs.append(("\(name) variant \(variant)", mutator.mutate(bytes)))
        }
        for (name, bytes) in inputs {
            if let error = HistoryFuzzEntry.line(bytes) {
                #expect(error.kind == .history && error.location?.line != nil, "\(name): \(error)")
            }
        }
    }
}
