import FuzzDriver
import TollgateCore

/// libFuzzer target: whole gate configs (YAML through Yams, then the config's own rules).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.config(FuzzDriver.bytes(data, size)))
}

FuzzDriver.run(fuzzConfig)
