// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every target: Swift 6 mode plus the upcoming features
/// that keep module boundaries honest.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mdrsd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mdrsd", targets: ["mdrsd"]),
        .executable(name: "mdrsctl", targets: ["mdrsctl"]),
        .executable(name: "wheel-bench", targets: ["WheelBench"]),
        .executable(name: "mail-bench", targets: ["MailBench"]),
        .executable(name: "plan-bench", targets: ["PlanBench"]),
        .executable(name: "booking-fuzz", targets: ["BookingFuzz"]),
        .executable(name: "scale-bench", targets: ["ScaleBench"]),
        .executable(name: "pg-bench", targets: ["PGBench"]),
        .library(name: "TimerWheel", targets: ["TimerWheel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // HMAC-SHA256 for the bounce address's token (BoringSSL on Linux).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Event loops that sleep in epoll with no timer of their own: Swift
        // concurrency runs on them, so an idle daemon never wakes.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The PostgreSQL backend, for several instances over one database.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "CPrefetch"),
        .target(name: "SeededRandom", swiftSettings: swiftSettings),
        .target(name: "TimerWheel", dependencies: ["CPrefetch"], swiftSettings: swiftSettings),
        .target(
            name: "MediationDomain",
            dependencies: [.product(name: "CSV", package: "CSV.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Messages",
            dependencies: ["MediationDomain", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(
            name: "Mailer",
            dependencies: ["CCurl", "CCurlShim", .product(name: "DequeModule", package: "swift-collections"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The store's contract: what the service asks of any backend.
        .target(name: "Store", dependencies: ["MediationDomain"], swiftSettings: swiftSettings),
        .target(
            name: "SQLiteStore",
            dependencies: ["Store", "MediationDomain", "LinuxPlatform", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresStore",
            dependencies: ["Store", "MediationDomain", "LinuxPlatform", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Linux and systemd plumbing: timerfd, eventfd, inotify, sd_notify, the journal.
        .target(name: "CLinuxEvents"),
        .target(
            name: "LinuxPlatform",
            dependencies: ["CLinuxEvents", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MDRSService",
            dependencies: [
                "TimerWheel", "MediationDomain", "Messages", "Mailer", "Store", "SQLiteStore", "PostgresStore", "LinuxPlatform",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mdrsd",
            dependencies: ["MDRSService", "LinuxPlatform", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mdrsctl",
            dependencies: [
                "MDRSService", "MediationDomain", "Store", "SQLiteStore", "PostgresStore", "Messages", "Mailer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WheelBench",
            dependencies: ["TimerWheel", "SeededRandom", .product(name: "HeapModule", package: "swift-collections")],
            path: "Benchmarks/WheelBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MailBench",
            dependencies: ["Mailer"],
            path: "Benchmarks/MailBench",
            exclude: ["smtplib_bench.py"],
            swiftSettings: swiftSettings
        ),
        // The parsers under libFuzzer (`make fuzz`); a plain build replays files.
        .executableTarget(name: "BookingFuzz", dependencies: ["MediationDomain"], path: "Fuzz/BookingFuzz", swiftSettings: swiftSettings),
        // What the whole-process benches share: spawning and measuring the
        // release binaries, the seeded data set.
        .target(name: "BenchSupport", dependencies: ["SeededRandom", "MDRSTestSupport"], path: "Benchmarks/BenchSupport",
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "ScaleBench",
            dependencies: ["BenchSupport", "Store", "SQLiteStore", "MediationDomain", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/ScaleBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PGBench",
            dependencies: ["BenchSupport", "Store", "PostgresStore", "SQLiteStore", "MediationDomain", "MDRSTestSupport"],
            path: "Benchmarks/PGBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "PlanBench", dependencies: ["MediationDomain", "SeededRandom"], path: "Benchmarks/PlanBench",
                          swiftSettings: swiftSettings),

        // Helpers every test target shares: bookings, temporary folders, `eventually`.
        .target(name: "MDRSTestSupport", dependencies: ["MediationDomain"], path: "Tests/MDRSTestSupport", swiftSettings: swiftSettings),
        // Unit tests: no network, no built binaries, no Python (`swift test --filter` runs them bare).
        .testTarget(
            name: "TimerWheelTests",
            dependencies: ["TimerWheel", "SeededRandom", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MediationDomainTests",
            dependencies: ["MediationDomain", "SeededRandom", "MDRSTestSupport",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MessagesTests", dependencies: ["Messages", "MDRSTestSupport", "SeededRandom", .product(name: "Mustache", package: "swift-mustache")], swiftSettings: swiftSettings),
        .testTarget(name: "MailerTests", dependencies: ["Mailer", "MDRSTestSupport", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "SQLiteStore", "PostgresStore", "MDRSTestSupport", "MediationDomain",
                                                .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(
            name: "MDRSServiceTests",
            dependencies: ["MDRSService", "TimerWheel", "Mailer", "Store", "SQLiteStore", "PostgresStore", "Messages", "LinuxPlatform",
                           "MDRSTestSupport",
                           .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // End to end: the built mdrsd and mdrsctl, aiosmtpd from the Python venv, real servers.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MDRSService", "Mailer", "Store", "SQLiteStore", "PostgresStore", "Messages", "MediationDomain", "MDRSTestSupport", "SeededRandom",
                           .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
    ]
)
