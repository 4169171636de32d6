/// Finds repeated ids in a dataset in eight bytes a row instead of a set of strings.
///
/// Each id is reduced to a 64-bit fingerprint; after the pass the fingerprints are sorted and
/// neighbours compared. Equal fingerprints are only suspects: the caller confirms them with
/// the ids themselves, so a hash collision never becomes a false error.
struct IDFingerprints {
    private var fingerprints: [UInt64] = []

    mutating func reserve(_ n: Int) { fingerprints.reserveCapacity(n) }

    mutating func add(_ id: UnsafeRawBufferPointer) { fingerprints.append(Self.fingerprint(id)) }

    /// Fingerprints seen more than once.
    ///
    /// Sorting by the top 33 bits (three radix passes, not six) groups equal fingerprints into
    /// runs that almost always hold one key; each run is then checked pairwise.
    mutating func suspects() -> Set<UInt64> {
        let high: UInt64 = ~0 << 31
        RadixSort.sort(&fingerprints, by: high)
        var result: Set<UInt64> = []
        var start = 0
        let n = fingerprints.count
        while start < n {
            var end = start + 1
            while end < n, fingerprints[end] & high == fingerprints[start] & high { end += 1 }
            if end - start > 1 {
                for i in start..<end {
                    for j in (i + 1)..<end where fingerprints[i] == fingerprints[j] { result.insert(fingerprints[i]) }
                }
            }
            start = end
        }
        sortedByHighBits = true
        return result
    }

    private var sortedByHighBits = false

    /// Whether an id was (probably) seen: used only to word an error message, after
    /// `suspects()` has sorted the fingerprints.
    func contains(_ id: String) -> Bool {
        let f = Array(id.utf8).withUnsafeBytes { Self.fingerprint($0) }
        let high: UInt64 = ~0 << 31
        guard sortedByHighBits else { return fingerprints.contains(f) }
        var lo = 0
        var hi = fingerprints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if fingerprints[mid] & high < f & high { lo = mid + 1 } else { hi = mid }
        }
        while lo < fingerprints.count, fingerprints[lo] & high == f & high {
            if fingerprints[lo] == f { return true }
            lo += 1
        }
        return false
    }

    /// FNV-1a with a final avalanche (splitmix64), so short, similar ids spread over all bits.
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 30
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27
        h = h &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
