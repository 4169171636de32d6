import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCore

@Suite struct NumberParserTests {
    func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { NumberParser.double($0) }
    }

    @Test(arguments: [
        "0", "1", "-1", "0.5", "0.1", "0.30000000000000004", "0.7000000000000001", "1e-300", "2.2250738585072014e-308",
        "123456789012345678901234567890", "0.12345678901234567", "1.7976931348623157e308", "4.9e-324", "+3.25", " 7 ",
        "1E5", "6.02214076e23", "0.000001", "999999999999999.9", "9007199254740993"
    ])
    func agreesWithTheStandardLibraryToTheLastBit(_ text: String) {
        let expected = Double(text.trimmingSpaces())
        #expect(parse(text)?.bitPattern == expected?.bitPattern, "\(text)")
    }

    @Test func randomDecimalsRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let x = Double.random(in: -1e6...1e6, using: &generator) * pow(10, Double(Int.random(in: -20...20)))
            #expect(parse("\(x)") == x)
            let short = String(format: "%.6f", x)
            #expect(parse(short) == Double(short))
        }
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e", "--1", "0x10", "1,5", "nan?", "."])
    func rejectsWhatIsNotADecimalNumber(_ text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test func nanAndInfinityParseSoTheCallerCanRefuseThemByName() {
        #expect(parse("nan")?.isNaN == true)
        #expect(parse("inf")?.isInfinite == true)
    }
}
