import FuzzDriver
import TollgateCore

/// libFuzzer target: canary events, one look over JSON Lines.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCanaryEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.canaryEvents(FuzzDriver.bytes(data, size)))
}

FuzzDriver.run(fuzzCanaryEvents)
