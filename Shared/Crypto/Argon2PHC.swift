import Foundation

/// An Argon2 hash in the PHC string format libargon2 and the `argon2` tool write:
/// `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`, base64 without padding.
/// Without `v=` it is version 1.0 (0x10), as libargon2 reads it; `encoded` always writes `v=`.
public struct Argon2PHC: Sendable, Equatable {
    public struct FormatError: Error, Sendable {
        public let reason: String
    }

    public static let version10: UInt32 = 0x10
    public static let version13: UInt32 = 0x13

    public var parameters: Argon2.Parameters
    public var version: UInt32
    public var salt: [UInt8]
    public var hash: [UInt8]

    public init(parameters: Argon2.Parameters, version: UInt32 = Self.version13, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.version = version
        self.salt = salt
        self.hash = hash
    }

    public init(parsing text: String) throws(FormatError) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        // "", variant, [v=19,] m=…,t=…,p=…, salt, hash
        guard parts.count == 5 || parts.count == 6, parts[0].isEmpty,
              let variant = Argon2.Variant(rawValue: String(parts[1]))
        else { throw FormatError(reason: "expected $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>") }
        switch parts.count == 6 ? parts[2] : "v=16" {
        case "v=19": version = Self.version13
        case "v=16": version = Self.version10
        default: throw FormatError(reason: "unknown version \(parts[2])")
        }
        var values: [Substring: UInt32] = [:]
        for pair in parts[parts.count - 3].split(separator: ",") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2, let value = UInt32(keyValue[1]) else {
                throw FormatError(reason: "parameters must be m=…,t=…,p=…")
            }
            values[keyValue[0]] = value
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"], values.count == 3 else {
            throw FormatError(reason: "parameters must be m=…,t=…,p=…")
        }
        guard let salt = Self.unpaddedBase64(parts[parts.count - 2]),
              let hash = Self.unpaddedBase64(parts[parts.count - 1]), hash.count >= 4
        else { throw FormatError(reason: "the salt or hash is not base64") }
        self.salt = salt
        self.hash = hash
        parameters = Argon2.Parameters(variant: variant, memoryKiB: m, iterations: t, parallelism: p, hashLength: hash.count)
    }

    /// The PHC string, as libargon2 writes it.
    public var encoded: String {
        "$\(parameters.variant.rawValue)$v=\(version)$m=\(parameters.memoryKiB),t=\(parameters.iterations),"
            + "p=\(parameters.parallelism)$\(Self.unpaddedBase64(salt))$\(Self.unpaddedBase64(hash))"
    }

    private static func unpaddedBase64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func unpaddedBase64(_ text: Substring) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }
}
