import FuzzDriver
import TollgateCore

/// libFuzzer target: the number parser, against the correctly rounded value for the same text.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNumber(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if let mismatch = FuzzEntry.number(FuzzDriver.bytes(data, size)) { fatalError("parsed \(mismatch.parsed), expected \(mismatch.expected)") }
    return 0
}

FuzzDriver.run(fuzzNumber)
