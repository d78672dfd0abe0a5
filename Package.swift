// swift-tools-version:6.0
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

/// A daemon: its library (all the code, testable) and a thin executable around it.
func daemon(_ name: String, dependencies: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: "\(name)Service",
            dependencies: ["PosternDaemon", "PosternProtocol", "PosternRPC", "PosternWire", logging] + dependencies,
            path: "Services/\(name)Service/Library"),
        .executableTarget(
            name: "\(name)Daemon",
            dependencies: [
                .target(name: "\(name)Service"), "PosternDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/\(name)Service/Daemon"),
    ]
}

let package = Package(
    name: "postern",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "postern-password", targets: ["PasswordDaemon"]),
        .executable(name: "postern-history", targets: ["HistoryDaemon"]),
        .executable(name: "postern-policy", targets: ["PolicyDaemon"]),
        .executable(name: "postern", targets: ["PosternCLI"]),
        .library(name: "PosternClient", targets: ["PosternClient"]),
        .executable(name: "postern-bench-nio-floor", targets: ["NIOFloorBench"]),
        .executable(name: "postern-bench-policy-engine", targets: ["PolicyEngineBench"]),
        .executable(name: "postern-cel-conformance", targets: ["CELConformanceCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // protoc-c output for Shared/Proto/postern/**.proto (scripts/gen-proto); committed.
        .target(
            name: "CPosternProto",
            path: "Shared/Proto/CPosternProto",
            cSettings: [.unsafeFlags(["-w"])]  // generated code; warnings are protoc-c's
        ),
        // System C libraries the password hashes need (scripts/setup installs their -dev packages).
        .systemLibrary(name: "COpenSSL", path: "Shared/CLibraries/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArgon2", path: "Shared/CLibraries/CArgon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CXCrypt", path: "Shared/CLibraries/CXCrypt", providers: [.apt(["libcrypt-dev"])]),
        // OpenLDAP's client library, for postern-password's LDAP sources.
        .systemLibrary(name: "CLDAP", path: "Shared/CLibraries/CLDAP", providers: [.apt(["libldap2-dev"])]),
        // LDAP as postern-password uses it: connections, binds, searches, Password Modify, and
        // filters with usernames escaped (docs/ldap.md). Knows nothing of users or stores.
        .target(name: "PosternLDAP", dependencies: ["CLDAP"], path: "Services/PasswordService/LDAP"),
        // MIT libkrb5, for postern-password's Kerberos sources; and the C it needs that Swift
        // cannot call (a variadic function, an in-memory profile).
        .systemLibrary(name: "CKrb5", path: "Shared/CLibraries/CKrb5", providers: [.apt(["libkrb5-dev"])]),
        .target(name: "CKrb5Support", dependencies: ["CKrb5"], path: "Shared/CLibraries/CKrb5Support"),
        // Kerberos as postern-password uses it: a password checked with initial credentials
        // verified against a keytab, and set-password as an admin (docs/kerberos.md).
        .target(name: "PosternKerberos", dependencies: ["CKrb5", "CKrb5Support"], path: "Services/PasswordService/Kerberos"),
        // Per-thread, huge-page-backed working memory for libargon2.
        .target(name: "CArgon2Memory", path: "Shared/CLibraries/CArgon2Memory"),
        // Key derivation and the other primitives under password hashing, shared with history.
        .target(
            name: "PosternCrypto", dependencies: ["COpenSSL", "CArgon2", "CArgon2Memory", "CXCrypt"],
            path: "Shared/Crypto"),
        // Plain-Swift view of the protocol: status codes, Envelope, messages. Knows no sockets.
        .target(name: "PosternProtocol", dependencies: ["CPosternProto"], path: "Shared/Proto/Swift"),
        // The RPC core without a transport: router, errors and statuses, access policy, Health,
        // the daemons' identities. No NIO: services and stores depend on this, not on the wire.
        .target(name: "PosternRPC", dependencies: ["PosternProtocol"], path: "Shared/RPC"),
        // Framing, the server and the client on SwiftNIO over Unix sockets.
        .target(
            name: "PosternWire",
            dependencies: [
                "PosternProtocol", "PosternRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio,
            path: "Shared/Wire"),
        // What the three daemons share: options, logging, the service group around the server.
        .target(
            name: "PosternDaemon",
            dependencies: [
                "PosternProtocol", "PosternRPC", "PosternWire", "PosternHashing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Daemon"),
        // Every stored password-hash format Postern verifies (Django's, crypt(3)'s, PHC Argon2)
        // and the policy new hashes follow: postern-password's logins, postern-history's
        // imported authentik history.
        .target(
            name: "PosternHashing", dependencies: ["PosternCrypto", "PosternRPC"],
            path: "Shared/Hashing"),
        // What the daemons' SQLite stores share: opening, migrating, failures as statuses.
        .target(
            name: "PosternStore",
            dependencies: [
                "PosternRPC", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Store"),
        // Postern's CEL: the expression language of expression policies, parsed and interpreted
        // (docs/expressions.md). No dependency: the language alone.
        .target(name: "PosternCEL", path: "Services/PolicyService/CEL"),
        // Blueprints: the daemons' configuration as YAML files, read and checked
        // (docs/blueprints.md); Yams parses the YAML.
        .target(
            name: "PosternBlueprint",
            dependencies: ["PosternProtocol", "PosternRPC", logging, .product(name: "Yams", package: "Yams")],
            path: "Shared/Blueprint"),
        // The Swift client library.
        .target(name: "PosternClient", dependencies: ["PosternProtocol", "PosternRPC", "PosternWire"], path: "Clients/PosternClient"),
        // The `postern` command-line tool.
        .executableTarget(
            name: "PosternCLI",
            dependencies: ["PosternClient", "PosternBlueprint", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Clients/PosternCLI"),
    ]
        // The user store is SQLite through GRDB (docs/storage.md).
        + daemon(
            "Password",
            dependencies: [
                "PosternCrypto", "PosternHashing", "PosternStore", "PosternBlueprint", "PosternLDAP", "PosternKerberos",
                .product(name: "GRDB", package: "GRDB.swift"),
            ])
        + daemon(
            "History", dependencies: ["PosternCrypto", "PosternHashing", "PosternStore", .product(name: "GRDB", package: "GRDB.swift")])
        // Policies, flows and bindings are SQLite through GRDB too (docs/storage.md).
        + daemon("Policy", dependencies: ["PosternCEL", "PosternStore", "PosternBlueprint", .product(name: "GRDB", package: "GRDB.swift")])
        + [
            // scripts/bench wire's reference server: NIO and the framing, nothing else.
            .executableTarget(
                name: "NIOFloorBench",
                dependencies: ["PosternWire"] + nio,
                path: "Tests/Bench/NIOFloor"),
            // scripts/bench policy's in-process measurement of the policy engine.
            .executableTarget(
                name: "PolicyEngineBench",
                dependencies: ["PolicyService", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Tests/Bench/PolicyEngine"),
            // CEL conformance data (cel-spec's, as JSON) run against PosternCEL: a library for the
            // test target and for scripts/cel-conformance's command.
            .target(name: "CELConformance", dependencies: ["PosternCEL"], path: "Tests/CELConformance/Runner"),
            .executableTarget(
                name: "CELConformanceCommand",
                dependencies: ["CELConformance", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Tests/CELConformance/Command"),
            .testTarget(name: "PosternCELTests", dependencies: ["PosternCEL", "CELConformance"]),
            .testTarget(name: "PosternProtocolTests", dependencies: ["PosternProtocol"]),
            .testTarget(name: "PosternCryptoTests", dependencies: ["PosternCrypto"]),
            .testTarget(name: "PosternBlueprintTests", dependencies: ["PosternBlueprint"]),
            .testTarget(name: "PosternLDAPTests", dependencies: ["PosternLDAP"]),
            .testTarget(name: "PosternKerberosTests", dependencies: ["PosternKerberos"]),
            .testTarget(name: "PosternRPCTests", dependencies: ["PosternRPC"]),
            .testTarget(name: "PosternHashingTests", dependencies: ["PosternHashing"]),
            .testTarget(
                name: "PosternStoreTests",
                dependencies: ["PosternStore", "PosternRPC", .product(name: "GRDB", package: "GRDB.swift"), logging]),
            .testTarget(
                name: "PosternWireTests",
                dependencies: [
                    "PosternWire", "PosternRPC",
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "NIOEmbedded", package: "swift-nio"),
                    .product(name: "NIOTestUtils", package: "swift-nio"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "Logging", package: "swift-log"),
                ]),
            .testTarget(name: "PosternDaemonTests", dependencies: ["PosternDaemon", "PosternRPC", "PosternWire", "PosternHashing"]),
            .testTarget(
                name: "PasswordServiceTests",
                dependencies: [
                    "PasswordService", "PosternHashing", "PosternStore", "PosternDaemon", "PosternWire",
                    .product(name: "GRDB", package: "GRDB.swift"), .product(name: "NIOPosix", package: "swift-nio"),
                    logging,
                ]),
            .testTarget(
                name: "HistoryServiceTests",
                dependencies: ["HistoryService", "PosternStore", .product(name: "GRDB", package: "GRDB.swift")]),
            .testTarget(
                name: "PolicyServiceTests",
                dependencies: ["PolicyService", "PosternStore", "PosternRPC", .product(name: "GRDB", package: "GRDB.swift"), logging]),
            .testTarget(name: "IntegrationTests", dependencies: ["PosternClient"]),
        ],
    swiftLanguageModes: [.v6]
)
