import FuzzDriver
import TollgateCore

/// libFuzzer target: JSON Lines datasets, plain or gzip, every cell through the number parser.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.table(FuzzDriver.bytes(data, size), jsonLines: true))
}

FuzzDriver.run(fuzzJSONLines)
