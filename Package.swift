// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "postern",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PosternProtocol", targets: ["PosternProtocol"]),
        .library(name: "PosternWire", targets: ["PosternWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // protoc-c output for Shared/Proto/postern/**.proto (scripts/gen-proto); committed.
        .target(
            name: "CPosternProto",
            path: "Shared/Proto/CPosternProto",
            cSettings: [.unsafeFlags(["-w"])]  // generated code; warnings are protoc-c's
        ),
        // Plain-Swift view of the protocol: status codes, Envelope, messages. Knows no sockets.
        .target(name: "PosternProtocol", dependencies: ["CPosternProto"], path: "Shared/Proto/Swift"),
        // Framing, RPC server and client on SwiftNIO over Unix sockets.
        .target(
            name: "PosternWire",
            dependencies: [
                "PosternProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Shared/Wire"
        ),

        .testTarget(name: "PosternProtocolTests", dependencies: ["PosternProtocol"]),
        .testTarget(
            name: "PosternWireTests",
            dependencies: [
                "PosternWire",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
