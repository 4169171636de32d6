import Foundation

/// Mutates seed inputs the way a fuzzer does, from a fixed seed, so `swift test` replays the
/// same few thousand variants every time and a failure names the seed file and the variant.
///
/// The moves are libFuzzer's simplest (flip, insert, erase, copy a span) plus the ones that
/// found issue #15's crashes: a span repeated hundreds of times (deep nesting, long chains),
/// and tokens the parsers treat specially.
public struct SeededMutator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    static let tokens: [[UInt8]] =
        [
            "(", ")", "-", "min(", "[", "]", "{", "}", "\"", "'", ",", ":", "- ", "\n", "\r\n", "\0", "#", "@", "%",
            "champion + ", "1e308", "NaN", "\\u0000", "&a", "*a", "? ", "\t"
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0x1F, 0x8B]]

    /// SplitMix64, as the bootstrap uses: fast, and the same on every platform.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    /// One to four mutations of `seed`.
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(7) {
            case 0 where !bytes.isEmpty:
                bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, at + 1 + below(16))
                bytes.removeSubrange(min(at, bytes.count - 1)..<end)
            case 3:
                bytes.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
            case 4 where !bytes.isEmpty:
                // A span repeated many times: nesting and chains far past any limit.
                let start = min(at, bytes.count - 1)
                let span = Array(bytes[start..<min(bytes.count, start + 1 + below(8))])
                bytes.insert(contentsOf: Self.repeated(span, 50 + below(3000)), at: start)
            case 5:
                let token = Self.tokens[below(Self.tokens.count)]
                bytes.insert(contentsOf: Self.repeated(token, 10 + below(500)), at: at)
            default:
                if !bytes.isEmpty { bytes.removeSubrange(min(at, bytes.count - 1)...) }
            }
        }
        return bytes
    }

    /// `span` back to back `times` times; whole-array appends, which stay fast in a debug build.
    static func repeated(_ span: [UInt8], _ times: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(span.count * times)
        for _ in 0..<times { out.append(contentsOf: span) }
        return out
    }

    /// The seed files of one fuzz target, by name, from `fixtures/fuzz/corpus/TARGET/`.
    public static func corpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = Fixtures.path("fuzz/corpus/\(target)")
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            (name, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
        }
    }
}
