// swift-tools-version:6.1
import PackageDescription

// The bare Hummingbird server bench/run measures Drop against (bench/README.md): no middleware, the
// same store and pool as Drop (DropStore), running the same queries. Its own package, like fuzz/, so
// that neither the product nor CI builds it.
let package = Package(
    name: "DropReference",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Drop", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .executableTarget(
            name: "drop-reference",
            dependencies: [
                .product(name: "DropCore", package: "Drop"),
                .product(name: "DropStore", package: "Drop"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/DropReference",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
