import FuzzDriver
import TollgateCore

/// libFuzzer target: check sentences. A crash is a bug; so is an error without a line.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCheckParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.checkSentence(FuzzDriver.bytes(data, size)))
}

FuzzDriver.run(fuzzCheckParser)
