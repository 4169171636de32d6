import Foundation
import TollgateCore

/// What every libFuzzer target under `Fuzz/` shares: the input as bytes, the rule that an error
/// must name a line, and starting libFuzzer's driver.
///
/// Why a driver call: SwiftPM links an executable's `main` to its top-level code, so libFuzzer's
/// own `main` is not used; each target starts the driver with its `LLVMFuzzerTestOneInput`.
public enum FuzzDriver {
    /// libFuzzer's input as an array (empty for a null pointer).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    /// Stops the run on an error without a line: the promise the fuzzers check besides "no crash".
    public static func requireLocated(_ error: TollgateError?) -> Int32 {
        if let error, error.location?.line == nil { fatalError("unlocated error: \(error)") }
        return 0
    }

    /// Runs libFuzzer with the process's arguments and `entry`; exits with its status.
    public static func run(_ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, entry))
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
