import Foundation
import TollgateCore

/// libFuzzer target: canary events, one look over JSON Lines.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCanaryEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let error = FuzzEntry.canaryEvents(bytes), error.location?.line == nil { fatalError("unlocated error: \(error)") }
    return 0
}

// SwiftPM links an executable's `main` to this file's top-level code, so libFuzzer's own
// `main` is not used: the driver is started here, with the entry point above.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzCanaryEvents))
