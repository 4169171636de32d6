#if canImport(Glibc)
    import Glibc
#endif

/// Parses decimal numbers from bytes, correctly rounded, without allocating.
///
/// The fast path is Clinger's: up to 15 significant digits and a power of ten up to 10^22 are
/// both exact doubles, so one multiplication or division rounds correctly. Everything else
/// (long mantissas, huge exponents) goes to `strtod`, which is correct but slower.
enum NumberParser {
    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        let n = bytes.count
        // Trim surrounding spaces, which spreadsheets like to leave behind.
        var lo = 0
        var hi = n
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        guard lo < hi else { return nil }
        i = lo
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < hi, bytes[i] &- 0x30 < 10 {
            sawDigit = true
            if mantissa != 0 || bytes[i] != 0x30 { digits += 1 }
            if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30) } else { exponent += 1 }
            i += 1
        }
        if i < hi, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < hi, bytes[i] &- 0x30 < 10 {
                sawDigit = true
                if mantissa != 0 || bytes[i] != 0x30 { digits += 1 }
                if digits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
                    exponent -= 1
                }
                i += 1
            }
        }
        guard sawDigit else { return slow(bytes, lo, hi) }
        if i < hi, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < hi, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExpDigit = false
            while i < hi, bytes[i] &- 0x30 < 10 {
                sawExpDigit = true
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == hi else { return nil }
        if digits <= 15, mantissa <= (1 << 53) {
            var value = Double(mantissa)
            if exponent == 0 || mantissa == 0 {
            } else if exponent > 0, exponent <= 22 {
                value *= powersOfTen[exponent]
            } else if exponent < 0, exponent >= -22 {
                value /= powersOfTen[-exponent]
            } else {
                return slow(bytes, lo, hi)
            }
            return negative ? -value : value
        }
        return slow(bytes, lo, hi)
    }

    /// `strtod` on a NUL-terminated copy; accepts only what it consumes entirely and is finite.
    private static func slow(_ bytes: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Double? {
        let count = hi - lo
        guard count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { text -> Double? in
            for k in 0..<count { text[k] = CChar(bitPattern: bytes[lo + k]) }
            text[count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &endPointer)
            guard let endPointer, endPointer - text.baseAddress! == count else { return nil }
            return value
        }
    }
}
