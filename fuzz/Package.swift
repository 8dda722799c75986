// swift-tools-version:6.1
import PackageDescription

// libFuzzer harness for Drop's parsers of outside input (security issue #14). Not part of the
// product or of CI: `scripts/fuzz` builds it with -sanitize=fuzzer,address and runs each target.
let package = Package(
    name: "DropFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Drop", path: "..")],
    targets: [
        .executableTarget(
            name: "drop-fuzz",
            dependencies: [.product(name: "DropFuzzChecks", package: "Drop")],
            path: "Sources/DropFuzz"
        ),
    ]
)
