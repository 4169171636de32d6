// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "Tollgate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tollgate", targets: ["tollgate"]),
        .library(name: "TollgateCore", targets: ["TollgateCore"]),
        .library(name: "TollgateStore", targets: ["TollgateStore"]),
        .library(name: "TollgateSite", targets: ["TollgateSite"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1")
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "TollgateCore",
            dependencies: [
                "CZlib",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // The open-loop load's HTTP client (Load/LoadConnections.swift).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]
        ),
        .target(
            name: "TollgateStore",
            dependencies: [
                "TollgateCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl")
            ]
        ),
        .target(
            name: "TollgateSite",
            dependencies: ["TollgateCore", "TollgateStore", "CLibXML2", "CCmark", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .executableTarget(
            name: "tollgate",
            dependencies: [
                "TollgateCore",
                "TollgateStore",
                "TollgateSite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `tollgate serve` (README "Canary and shadow": why swift-nio rather than Hummingbird).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]
        ),
        .target(name: "TollgateTestSupport", dependencies: ["TollgateCore", "TollgateStore"], path: "Tests/TollgateTestSupport"),
        // The scripted inference server of the latency and fault tests (README "Scoring live models").
        .target(
            name: "InferenceStub",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ],
            path: "Tests/InferenceStub"
        ),
        // The same stub as a program, for the load benchmark (bench/live_latency.py).
        .executableTarget(name: "inference-stub", dependencies: ["InferenceStub"], path: "bench/inference-stub"),
        .testTarget(name: "TollgateCoreTests", dependencies: ["TollgateCore", "TollgateTestSupport", "InferenceStub"]),
        .testTarget(name: "TollgateStoreTests", dependencies: ["TollgateStore", "TollgateTestSupport"]),
        .testTarget(name: "TollgateSiteTests", dependencies: ["TollgateSite", "TollgateTestSupport", "CLibXML2", "CCmark"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TollgateCore", "TollgateStore", "TollgateTestSupport", "InferenceStub"])
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, one per parser (README "Fuzzing"), declared only with TOLLGATE_FUZZ=1:
// they link against libFuzzer's driver (`-sanitize=fuzzer`), which an ordinary build lacks.
if ProcessInfo.processInfo.environment["TOLLGATE_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzDriver", dependencies: ["TollgateCore"], path: "Fuzz/FuzzDriver"))
    for (name, store) in [
        ("FuzzCheckParser", false), ("FuzzConfig", false), ("FuzzCSV", false), ("FuzzJSONLines", false),
        ("FuzzNumber", false), ("FuzzHistoryLine", true), ("FuzzCanaryConfig", false), ("FuzzCanaryEvents", false)
    ] {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["FuzzDriver", "TollgateCore"] + (store ? ["TollgateStore"] : []),
                path: "Fuzz/\(name)"))
    }
}
