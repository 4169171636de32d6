import FuzzDriver
import TollgateCore
import TollgateStore

/// libFuzzer target: one line of a history export, decoded and validated as `history import` does.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzHistoryLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.requireLocated(HistoryFuzzEntry.line(FuzzDriver.bytes(data, size)))
}

FuzzDriver.run(fuzzHistoryLine)
