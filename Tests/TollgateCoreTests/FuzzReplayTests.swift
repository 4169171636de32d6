import Foundation
import Testing
import TollgateCore
import TollgateTestSupport

/// The fuzz targets' promise, replayed by `swift test` through the same entry points: the seed
/// corpus (`fixtures/fuzz/corpus/`, the crash inputs of issue #15 included) and a few thousand
/// seeded mutations of it never crash a parser, and every error they raise is a
/// `TollgateError` that names a line. libFuzzer runs these targets far longer (README "Fuzzing").
@Suite("Fuzz corpus replay")
struct FuzzReplayTests {
    /// Variants per target: enough to reach every limit, bounded to seconds in a debug build
    /// (configs go through Yams and check sentences through grapheme breaking, so fewer).
    static func replay(_ target: String, seed: UInt64, mutations: Int, _ entry: ([UInt8]) -> TollgateError?) throws {
        let corpus = try SeededMutator.corpus(target)
        #expect(!corpus.isEmpty, "the seed corpus of \(target) is empty")
        for (name, bytes) in corpus {
            if let error = entry(bytes) {
                #expect(error.location?.line != nil, "\(target)/\(name): error without a line: \(error)")
            }
        }
        var mutator = SeededMutator(seed: seed)
        for variant in 0..<mutations {
            let (name, bytes) = corpus[mutator.below(corpus.count)]
            let input = mutator.mutate(bytes)
            if let error = entry(input) {
                #expect(error.location?.line != nil, "\(target)/\(name) variant \(variant): error without a line: \(error)")
            }
        }
    }

    @Test("check sentences") func checkSentences() throws { try Self.replay("check", seed: 1, mutations: 500, FuzzEntry.checkSentence) }

    @Test("configs, through Yams") func configs() throws { try Self.replay("config", seed: 2, mutations: 500, FuzzEntry.config) }

    @Test("CSV datasets, plain and gzip") func csv() throws { try Self.replay("csv", seed: 3, mutations: 1_000) { FuzzEntry.table($0, jsonLines: false) } }

    @Test("JSON Lines datasets, plain and gzip") func jsonLines() throws {
        try Self.replay("jsonl", seed: 4, mutations: 1_000) { FuzzEntry.table($0, jsonLines: true) }
    }

    @Test("canary configs, through Yams") func canaryConfigs() throws { try Self.replay("canary-config", seed: 6, mutations: 500, FuzzEntry.canaryConfig) }

    @Test("canary events (JSON Lines)") func canaryEvents() throws { try Self.replay("canary-events", seed: 7, mutations: 1_000, FuzzEntry.canaryEvents) }

    @Test("the number parser agrees with strtod on every number it accepts")
    func numbers() throws {
        var mutator = SeededMutator(seed: 5)
        let corpus = try SeededMutator.corpus("number")
        for (name, bytes) in corpus {
            let mismatch = FuzzEntry.number(bytes)
            #expect(mismatch == nil, "\(name): \(String(describing: mismatch))")
        }
        for _ in 0..<2_000 {
            let input = mutator.mutate(corpus[mutator.below(corpus.count)].bytes)
            let mismatch = FuzzEntry.number(input)
            #expect(mismatch == nil, "\(String(decoding: input, as: UTF8.self)): \(String(describing: mismatch))")
        }
    }
}
