import Foundation
import InferenceStub

/// `inference-stub`: the tests' scripted inference server as a program, for the benchmarks
/// (bench/live_latency.py) to load with Tollgate, Locust and wrk alike. It prints its URL on
/// the first line of stdout and serves until it is killed.
///
///     inference-stub [--service-time S] [--freeze-start S --freeze-duration S] [--error-every N] [--threads N]

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(
        Data(
            "inference-stub: \(message)\nusage: inference-stub [--service-time S] [--freeze-start S --freeze-duration S] [--error-every N] [--threads N]\n".utf8
        ))
    exit(2)
}

var behaviour = StubBehaviour()
var threads = 1
var freezeStart: Double?
var freezeDuration: Double?
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    guard let text = arguments.popFirst() else { usage("\(option) needs a value") }
    guard let value = Double(text), value.isFinite, value >= 0 else { usage("\(option) expects a non-negative number, found '\(text)'") }
    switch option {
    case "--service-time": behaviour.serviceTime = value
    case "--freeze-start": freezeStart = value
    case "--freeze-duration": freezeDuration = value
    case "--error-every": behaviour.errorEvery = Int(value)
    case "--threads": threads = max(1, Int(value))
    default: usage("unknown option \(option)")
    }
}
if let start = freezeStart, let duration = freezeDuration {
    behaviour.freeze = .init(start: start, duration: duration)
} else if freezeStart != nil || freezeDuration != nil {
    usage("--freeze-start and --freeze-duration go together")
}

let stub = try await InferenceStub.start(behaviour, threads: threads)
FileHandle.standardOutput.write(Data((stub.url + "\n").utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
