import Foundation
import Testing
import TollgateCore

/// One rule per kind of figure: these strings are what every output prints.
@Suite struct FormattingTests {
    @Test(
        "check messages: four decimals, trailing zeros dropped, scientific at the extremes",
        arguments: [
            (0.75, "0.75"), (0.123456, "0.1235"), (2, "2"), (0, "0"), (-0.5, "-0.5"), (0.00001234, "1.234e-05"),
            (12_345_678, "1.235e+07"), (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"), (99.99999, "100")
        ] as [(Double, String)])
    func decimal(_ value: Double, _ text: String) {
        #expect(Formatting.decimal(value) == text)
    }

    @Test("tables: significant digits, a dash for what is missing or not finite")
    func significant() {
        #expect(Formatting.significant(0.812345) == "0.8123")
        #expect(Formatting.significant(1234.5) == "1234")
        #expect(Formatting.significant(nil) == "–")
        #expect(Formatting.significant(.nan) == "–")
        #expect(Formatting.significant(0.123456789, digits: 6, missing: "n/a") == "0.123457")
        #expect(Formatting.significant(.infinity, digits: 6, missing: "n/a") == "n/a")
        #expect(Formatting.signed(0.0123) == "+0.0123")
        #expect(Formatting.signed(-2) == "-2")
        #expect(Formatting.signed(nil) == "–")
        #expect(Formatting.signed(.nan) == "–")
        #expect(Formatting.literal(200) == "200")
        #expect(Formatting.literal(0.75) == "0.75")
        #expect(Formatting.literal(-0.01) == "-0.01")
        #expect(Formatting.fixed(0.125, places: 2) == "0.12")
        #expect(Formatting.fixed(3, places: 3) == "3.000")
    }

    @Test("percentages: one decimal by default, N/A for no data")
    func percent() {
        #expect(Formatting.percent(0.125) == "12.5%")
        #expect(Formatting.percent(1) == "100.0%")
        #expect(Formatting.percent(nil) == "N/A")
        #expect(Formatting.percent(0.5, places: 0, missing: "–") == "50%")
    }

    /// Issue #10: 30 s was "0 min" on the site and "30 s" in `tollgate dora`.
    @Test(
        "spans: one rule, the largest readable unit",
        arguments: [
            (30.0, "30 s"), (59.4, "59 s"), (60, "1.0 min"), (750, "12.5 min"), (5400, "1.5 h"), (86_400, "1.0 d"), (302_400, "3.5 d")
        ] as [(Double, String)])
    func duration(_ seconds: Double, _ text: String) {
        #expect(Formatting.duration(seconds) == text)
    }

    @Test("times and sizes")
    func timesAndSizes() {
        #expect(Formatting.duration(nil) == "N/A")
        #expect(Formatting.seconds(1.256) == "1.26 s")
        #expect(Formatting.timestamp(Date(timeIntervalSince1970: 1_780_912_800.5)) == "2026-06-08T10:00:00.500Z")
        #expect(Formatting.day("2026-06-08T10:00:00Z") == "2026-06-08")
        #expect(Formatting.megabytes(12_500_000) == 12.5)
        #expect(Formatting.byteSize(512) == "512 B")
        #expect(Formatting.byteSize(12_300) == "12.3 kB")
        #expect(Formatting.byteSize(4_500_000) == "4.5 MB")
        #expect(Formatting.byteSize(1_200_000_000) == "1.2 GB")
    }
}
