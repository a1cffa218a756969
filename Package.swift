// swift-tools-version:6.2
// posplus: a payment bridge between front-desk card terminals, Stripe and Jobber.
// Layout and the one payment path: see README.md and the architecture notes it links.
import PackageDescription

/// Every target compiles in Swift 6 language mode (strict concurrency) with `any` spelled out,
/// so existentials are visible at the call site.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "posplus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "posplus", targets: ["posplus"]),
        .executable(name: "posplus-sim", targets: ["posplus-sim"]),
        .library(name: "PosPlusCore", targets: ["PosPlusCore"]),
        .library(name: "Ledger", targets: ["Ledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/GraphQLSwift/Graphiti.git", from: "3.1.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        // Already resolved through Hummingbird; named here because serve's background work are
        // services in one ServiceGroup, ticking on AsyncTimerSequence over an injected clock.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        // Staff passwords: bcrypt from a kept library rather than hand-rolled hashing.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        // Domain only: money, payments and their state machine, charge rules. No I/O.
        .target(
            name: "PosPlusCore",
            swiftSettings: strictSettings
        ),
        // Reconciliation's matcher: the four sides in, classified differences out. No I/O.
        .target(
            name: "Reconcile",
            dependencies: ["PosPlusCore"],
            swiftSettings: strictSettings
        ),
        // Getting paid: pure rules for what happens after a decline (classes, retry schedule,
        // the recovery sequence) and the model that measures them. No I/O; Bridge wires it.
        .target(
            name: "Receivables",
            dependencies: ["PosPlusCore"],
            swiftSettings: strictSettings
        ),
        // The durable ledger: SQLite through GRDB on the system libsqlite3.
        .target(
            name: "Ledger",
            dependencies: [
                "PosPlusCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Wiring and policies: configuration today; the payment service joins here next.
        .target(
            name: "Bridge",
            dependencies: [
                "PosPlusCore",
                "Ledger",
                "Terminal",
                "DeviceCatalog",
                "Jobber",
                "HTTPClient",
                "Gateway",
                "Messaging",
                "Reconcile",
                "Receivables",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        // libusb-1.0 from the system (Debian: libusb-1.0-0-dev), for USB discovery and hot-plug.
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        // libcurl from the system (Debian: libcurl4-openssl-dev), with fixed-arity setopt shims.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Async HTTP client on libcurl: timeouts, TLS verification, bounded bodies, safe retries.
        .target(
            name: "HTTPClient",
            dependencies: ["CCurl", "PosPlusCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Card-not-present processors behind one protocol; Stripe first.
        .target(
            name: "Gateway",
            dependencies: [
                "PosPlusCore", "HTTPClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Email (SMTP over libcurl) and SMS (a Twilio-compatible API) for payment links.
        .target(
            name: "Messaging",
            dependencies: ["CCurl", "PosPlusCore", "HTTPClient"],
            swiftSettings: strictSettings
        ),
        // Jobber: exact JSON money, GraphQL client, OAuth, webhooks.
        .target(
            name: "Jobber",
            dependencies: [
                "PosPlusCore", "HTTPClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The brand-free terminal seam: driver protocol, byte transports, USB, supervisor.
        .target(
            name: "Terminal",
            dependencies: ["PosPlusCore", "CLibUSB", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // PAX POSLink: frame codec, link layer, messages, PAXDriver.
        .target(
            name: "PAX",
            dependencies: ["PosPlusCore", "Terminal", .product(name: "Logging", package: "swift-log")],
            path: "Devices/PAX",
            swiftSettings: strictSettings
        ),
        // Known terminals by USB id, and discovery that matches devices against them.
        .target(
            name: "DeviceCatalog",
            dependencies: ["Terminal"],
            path: "Devices/Catalog",
            swiftSettings: strictSettings
        ),
        // A Hummingbird application on a loopback port, started and stopped from code: the
        // service's HTTP endpoints, the simulators and the tests all run servers this way.
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The posplus service: its HTTP face (webhook endpoints, the staff API) and its
        // background work as services run together with it.
        .target(
            name: "Server",
            dependencies: [
                "PosPlusCore", "Ledger", "Jobber", "Gateway", "Messaging", "Bridge", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // HTTPS for a serve reached from beyond the office PC (swift-nio-ssl underneath).
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The API's OpenAPI document and the console's page, script and style sheet, compiled
            // in: served with no file beside the binary and no network.
            resources: [
                .embedInCode("API/openapi.json"), .embedInCode("Console/console.html"), .embedInCode("Console/console.js"),
                .embedInCode("Console/payment.js"), .embedInCode("Console/office.js"), .embedInCode("Console/cards.js"),
                .embedInCode("Console/link.js"), .embedInCode("Console/forecast.js"), .embedInCode("Console/plans.js"),
                .embedInCode("Console/followups.js"),
                .embedInCode("Console/console.css"),
                .embedInCode("Console/receipt.html"), .embedInCode("Console/receipt.js"), .embedInCode("Console/receipt.css"),
            ],
            swiftSettings: strictSettings
        ),
        // Jobber's GraphQL subset with Jobber's exact names, its OAuth token endpoint with
        // rotation, cost-based throttling and signed webhooks, seeded with a realistic account.
        .target(
            name: "JobberSimulator",
            dependencies: [
                "PosPlusCore", "HTTPServing", "HTTPClient",
                .product(name: "Graphiti", package: "Graphiti"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulators/JobberSimulator",
            swiftSettings: strictSettings
        ),
        // The Stripe subset no installable fake covers: payment links, ACH, paging, replay.
        .target(
            name: "GatewaySimulator",
            dependencies: [
                "PosPlusCore", "HTTPClient", "HTTPServing", "Gateway",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulators/GatewaySimulator",
            swiftSettings: strictSettings
        ),
        // A simulated PAX terminal speaking real POSLink over a pty, TCP and HTTP.
        .target(
            name: "PAXSimulator",
            dependencies: ["PosPlusCore", "Terminal", "PAX"],
            path: "Simulators/PAXSimulator",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "posplus-sim",
            dependencies: [
                "PAXSimulator", "JobberSimulator", "GatewaySimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulators/posplus-sim",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "posplus",
            dependencies: [
                "PosPlusCore",
                "Ledger",
                "Bridge",
                "Jobber",
                "Terminal",
                "PAX",
                "DeviceCatalog",
                "Server",
                "Gateway",
                "Messaging",
                "Reconcile",
                "Receivables",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // A child process for the crash test: writes payments until it is SIGKILLed.
        .executableTarget(
            name: "ledger-crash-writer",
            dependencies: ["PosPlusCore", "Ledger", "TestSupport"],
            path: "Tests/Support/LedgerCrashWriter",
            swiftSettings: strictSettings
        ),

        // Speed goals live here, not in tests: `make bench` (package-benchmark).
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: [
                "PosPlusCore", "Ledger",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/LedgerBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        .executableTarget(
            name: "GatewayBenchmarks",
            dependencies: [
                "PosPlusCore", "Gateway", "HTTPClient", "GatewaySimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/GatewayBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        .executableTarget(
            name: "TerminalBenchmarks",
            dependencies: [
                "PosPlusCore", "Terminal", "PAX", "PAXSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/TerminalBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        .executableTarget(
            name: "ReconcileBenchmarks",
            dependencies: [
                "PosPlusCore", "Ledger", "Bridge", "Gateway", "GatewaySimulator", "HTTPClient", "HTTPServing", "JobberSimulator",
                "JobberTestSupport", "PAX", "PAXSimulator", "Reconcile", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/ReconcileBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        .executableTarget(
            name: "ServeLoadBenchmarks",
            dependencies: [
                "PosPlusCore", "Ledger", "Bridge", "HTTPClient", "HTTPServing", "Jobber", "JobberSimulator", "JobberTestSupport",
                "PAX", "PAXSimulator", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/ServeLoadBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),

        // Helpers shared by test targets: a line reader for child processes, a local HTTP server.
        .target(
            name: "TestSupport",
            dependencies: ["Terminal", "Ledger"],
            path: "Tests/Support/TestSupport",
            swiftSettings: strictSettings
        ),

        // A running Jobber simulator with posplus's real clients signed in to it.
        .target(
            name: "JobberTestSupport",
            dependencies: [
                "Jobber", "JobberSimulator", "HTTPServing", "HTTPClient", "Ledger", "PosPlusCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/JobberTestSupport",
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "ReconcileTests",
            dependencies: ["Reconcile", "PosPlusCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReceivablesTests",
            dependencies: ["Receivables", "PosPlusCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PosPlusCoreTests",
            dependencies: [
                "PosPlusCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: [
                "PosPlusCore", "Ledger", "ledger-crash-writer", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PAXTests",
            dependencies: [
                "PosPlusCore", "Terminal", "PAX", "PAXSimulator", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TerminalTests",
            dependencies: [
                "PosPlusCore", "Terminal", "PAX", "PAXSimulator", "DeviceCatalog", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HTTPClientTests",
            dependencies: [
                "HTTPClient", "PosPlusCore", "Terminal", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "JobberTests",
            dependencies: [
                "Jobber", "PosPlusCore", "HTTPClient", "TestSupport", "Ledger", "JobberSimulator", "HTTPServing", "JobberTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "GatewaySimulator", "HTTPServing", "PosPlusCore", "HTTPClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: [
                "Messaging", "PosPlusCore", "HTTPClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BridgeTests",
            dependencies: [
                "PosPlusCore", "Bridge", "Ledger", "Jobber", "HTTPClient", "TestSupport", "Server", "JobberSimulator", "HTTPServing",
                "JobberTestSupport", "Gateway", "GatewaySimulator", "Messaging", "Terminal", "PAX", "PAXSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PosPlusCore", "Ledger", "posplus", "posplus-sim", "PAXSimulator", "JobberSimulator", "HTTPServing", "TestSupport",
                "HTTPClient", "Terminal", "PAX", "GatewaySimulator", "Gateway", "Bridge", "Server", "Jobber", "JobberTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
