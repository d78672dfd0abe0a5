// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "postern",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PosternProtocol", targets: ["PosternProtocol"]),
    ],
    targets: [
        // Plain-Swift view of the protocol: status codes, Envelope, messages. Knows no sockets.
        .target(name: "PosternProtocol", path: "Shared/Proto/Swift"),

        .testTarget(name: "PosternProtocolTests", dependencies: ["PosternProtocol"]),
    ],
    swiftLanguageModes: [.v6]
)
