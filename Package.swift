// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "clubd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clubd", targets: ["clubd"]),
        .executable(name: "clubd-bench", targets: ["ClubBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // Webhook deliveries (DESIGN §10): the HTTP client the Swift server ecosystem maintains.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The console's uploads (DESIGN §11): multipart/form-data parsed as it streams.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // The picture of DESIGN §5: core ← store ← {api, web} ← server ← clubd.
        // The language catalogs (DESIGN §9), one JSON file per language, are compiled into the
        // binary: clubd is one file to install, and cannot start without its texts.
        .target(name: "ClubCore", resources: [.embedInCode("Localization/Catalogs")], swiftSettings: upcoming),
        .target(
            name: "ClubStore",
            dependencies: [
                "ClubCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ],
            // The 10,000 most common passwords, which `PasswordPolicy` refuses (DESIGN §9).
            resources: [.embedInCode("Resources/common-passwords.txt")],
            swiftSettings: upcoming
        ),
        .target(name: "ClubDemo", dependencies: ["ClubCore", "ClubStore"], swiftSettings: upcoming),
        .target(
            name: "ClubAPI",
            dependencies: [
                "ClubCore",
                "ClubStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Uploads are synced to disk on NIO's thread pool, off the cooperative threads.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "ClubWeb",
            dependencies: [
                "ClubCore",
                "ClubStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: upcoming
        ),
        // The third door (DESIGN §10): e-mail through an SMTP relay and signed webhooks, delivered
        // from the store's outbox by the daemon's services.
        .target(
            name: "ClubNotify",
            dependencies: [
                "ClubCore",
                "ClubStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "ClubServer",
            dependencies: [
                "ClubCore",
                "ClubStore",
                "ClubAPI",
                "ClubWeb",
                "ClubNotify",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "clubd",
            dependencies: [
                "ClubServer",
                "ClubDemo",
                "ClubStore",
                "ClubCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "ClubBench",
            dependencies: ["ClubStore", "ClubCore", "ClubDemo"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "ClubCoreTests", dependencies: ["ClubCore"], swiftSettings: upcoming),
        .testTarget(
            name: "ClubStoreTests",
            dependencies: ["ClubStore", "ClubCore", "ClubDemo", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ClubWebTests",
            dependencies: [
                "ClubWeb", "ClubStore", "ClubCore", "ClubDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ClubServerTests",
            dependencies: [
                "ClubServer", "ClubStore", "ClubCore", "ClubNotify",
                .product(name: "Configuration", package: "swift-configuration"),
                // The development certificate read back as a client would (TLSProfileTests).
                .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // A journal made unreadable under the replica watch (ReplicaLagTests).
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        // Mail against a real SMTP server on loopback, webhooks against a real receiver.
        .testTarget(
            name: "ClubNotifyTests",
            dependencies: [
                "ClubNotify", "ClubStore", "ClubCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The JSON door is tested through the assembled router, as the daemon serves it; the
        // live TLS, process and browser tests start the real daemon.
        .testTarget(
            name: "ClubAPITests",
            dependencies: [
                "ClubServer", "ClubAPI", "ClubStore", "ClubCore", "ClubDemo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcoming
        ),
    ]
)
