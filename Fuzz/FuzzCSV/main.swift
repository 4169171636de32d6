import FuzzDriver
import TollgateCore

/// libFuzzer target: CSV datasets, plain or gzip, every cell through the number parser.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(FuzzEntry.table(FuzzDriver.bytes(data, size), jsonLines: false))
}

FuzzDriver.run(fuzzCSV)
