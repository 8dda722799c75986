// swift-tools-version:6.1
import PackageDescription

// Drop: one package, one deployable. Modules by responsibility (docs/architecture.md):
// DropCore (pure domain) ← DropStore, DropProviders ← DropAPI ← DropWeb ← drop (CLI); DropSandbox ← DropSandboxHosting ← drop.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
// The modules every request runs through: their async functions run where their caller runs, not with
// an executor hop in and out of each, which on the event loops is a queued job each (ADR 0017).
let requestPath: [SwiftSetting] = strict + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]

let package = Package(
    name: "Drop",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .executable(name: "drop", targets: ["drop"]),
        .library(name: "DropCore", targets: ["DropCore"]),
        .library(name: "DropKit", targets: ["DropKit"]),
        // Test code, not shipped: the parser checks the libFuzzer package under fuzz/ and the corpus tests share.
        .library(name: "DropFuzzChecks", targets: ["DropFuzzChecks"]),
        // For bench/reference, the bare server Drop is measured against: the same store and pool.
        .library(name: "DropStore", targets: ["DropStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already built for AsyncHTTPClient; the SMTP client's STARTTLS and TLS.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already built for Hummingbird; Drop's tracer implements its `Tracer`.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // Pure domain: money, identifiers, corridors, pricing, state machines, AML rules, QR. No I/O.
        // swift-crypto only for the HMAC that signs merchant payment links (CryptoKit on Apple platforms).
        .target(name: "DropCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),

        // Traces (W3C trace context, OTLP/HTTP export) and error reports (Sentry envelopes).
        .target(
            name: "DropTelemetry",
            dependencies: [
                "DropCore",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: requestPath
        ),

        // One store API over SQLite (dev) and PostgreSQL (prod); migrations; repositories; job queue.
        .target(
            name: "DropStore",
            dependencies: [
                "DropCore",
                "DropTelemetry",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: requestPath
        ),

        // Clients for the outside parties, and the resilience they share (retries, circuit breaker).
        .target(
            name: "DropProviders",
            dependencies: [
                "DropCore",
                "DropTelemetry",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),

        // Markup that escapes text by default; the web pages, the API's HTML pages and the sandbox pages are built from it.
        .target(name: "DropHTML", swiftSettings: strict),

        // Simulators of the outside parties, speaking their wire protocols over HTTP.
        .target(
            name: "DropSandbox",
            dependencies: [
                "DropCore",
                "DropStore",
                "DropHTML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The HTTP application: middleware, /v1 features, webhooks, jobs, configuration.
        .target(
            name: "DropAPI",
            dependencies: [
                "DropCore", "DropStore", "DropProviders", "DropHTML", "DropTelemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The contract, and the receipts' PDF font (DejaVu Sans, subset into each PDF; licence beside it).
            resources: [.copy("Docs/openapi.json"), .copy("Features/Receipts/Fonts"), .copy("Features/Receipts/Texts")],
            swiftSettings: requestPath
        ),

        // The sandboxes mounted into a development or test server, with their fault switches and the
        // demo data that needs them. Only the `drop` composition root and tests add it.
        .target(
            name: "DropSandboxHosting",
            dependencies: [
                "DropAPI", "DropSandbox", "DropCore", "DropStore", "DropProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Server-rendered web app.
        .target(
            name: "DropWeb",
            dependencies: [
                "DropCore", "DropAPI", "DropHTML",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            // The pages' files, and one table of strings per language (docs/translations.md).
            resources: [.copy("Assets"), .copy("Localization/nb.json"), .copy("Localization/en.json"), .copy("Localization/pl.json"),
                        .copy("Localization/ar.json"), .copy("Localization/so.json"), .copy("Localization/ur.json"),
                        .copy("Localization/legal")],
            swiftSettings: strict
        ),

        // Client library and view models the iOS app sits on. Foundation only, so it builds for iOS.
        .target(name: "DropKit", dependencies: ["DropCore"], swiftSettings: strict),

        .executableTarget(
            name: "drop",
            dependencies: [
                "DropAPI", "DropWeb", "DropStore", "DropSandboxHosting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "DropHTMLTests", dependencies: ["DropHTML"], swiftSettings: strict),
        // DropKit alone, against a stub transport: parsing, errors, sign-in and the view models' state machines.
        .testTarget(name: "DropKitUnitTests", dependencies: ["DropKit"], swiftSettings: strict),
        .testTarget(name: "DropCoreTests", dependencies: ["DropCore", "DropTestTools", "DropFuzzChecks"], swiftSettings: strict),
        .testTarget(
            name: "DropStoreTests",
            dependencies: ["DropStore", "DropTestSupport", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DropProvidersTests",
            dependencies: ["DropProviders", "DropSandbox", "DropCore", "DropTestTools", "DropFuzzChecks", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict),
        .testTarget(
            name: "DropSandboxTests",
            dependencies: ["DropSandbox", "DropProviders", "DropCore", "DropTestTools", .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict),
        .testTarget(
            name: "DropAPITests",
            dependencies: [
                "DropAPI", "DropWeb", "DropHTML", "DropKit", "DropTestSupport", "DropTestTools", "DropFuzzChecks", "DropSandbox", "DropSandboxHosting", "DropProviderFakes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The outside parties in memory (docs/decisions/0011), for API tests at the router.
        .target(
            name: "DropProviderFakes",
            dependencies: ["DropProviders", "DropCore"],
            path: "Tests/DropProviderFakes",
            swiftSettings: strict
        ),
        // Test helpers that need neither a database nor a server: a seeded random generator, a scratch
        // folder per run, readers of what Drop writes (PDF text, QR codes, pain.001 against its XSD),
        // an SMTP server, clocks and sleepers. The domain's tests use these alone.
        .target(
            name: "DropTestTools",
            dependencies: ["DropCore"],
            path: "Tests/DropTestTools",
            swiftSettings: strict
        ),
        // A fresh database per test on SQLite or PostgreSQL (TEST_DATABASE_URL).
        .target(
            name: "DropTestSupport",
            dependencies: ["DropCore", "DropStore", "DropTestTools", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/DropTestSupport",
            swiftSettings: strict
        ),
            // What the fuzzers check for each parser of outside input, and the seed mutator of the in-test
        // fuzz runs: shared by fuzz/ (libFuzzer) and the corpus regression tests. DropCore and DropKit only,
        // so the sanitizer build under fuzz/ stays small.
        .target(
            name: "DropFuzzChecks",
            dependencies: ["DropCore", "DropKit"],
            path: "Tests/FuzzChecks",
            swiftSettings: strict
        ),
    ]
)
