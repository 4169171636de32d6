import FuzzDriver
import TollgateCore

/// libFuzzer target: canary configs (`tollgate canary --config`) through Yams and the check parser.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCanaryConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.canaryConfig(FuzzDriver.bytes(data, size)))
}

FuzzDriver.run(fuzzCanaryConfig)
