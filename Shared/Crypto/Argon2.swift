import CArgon2

/// Argon2 (RFC 9106) through libargon2, in its PHC string encoding
/// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, base64 without padding).
public enum Argon2 {
    public enum Variant: String, Sendable, CaseIterable {
        case id = "argon2id", i = "argon2i", d = "argon2d"

        var c: argon2_type {
            switch self {
            case .id: Argon2_id
            case .i: Argon2_i
            case .d: Argon2_d
            }
        }
    }

    public struct Parameters: Sendable, Equatable {
        public var variant: Variant
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32
        public var hashLength: Int

        public init(variant: Variant = .id, memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, hashLength: Int = 32) {
            self.variant = variant
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
            self.hashLength = hashLength
        }
    }

    /// The PHC string of `password` under `parameters` with `salt`; nil when libargon2 refuses
    /// the parameters (memory below 8 × parallelism KiB, say).
    public static func encode(password: [UInt8], salt: [UInt8], parameters: Parameters) -> String? {
        let length = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, UInt32(salt.count),
            UInt32(parameters.hashLength), parameters.variant.c)
        var encoded = [CChar](repeating: 0, count: length)
        let status = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                argon2_hash(
                    parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                    passwordBytes.baseAddress, password.count, saltBytes.baseAddress, salt.count,
                    nil, parameters.hashLength, &encoded, length, parameters.variant.c, UInt32(ARGON2_VERSION_13.rawValue))
            }
        }
        guard status == ARGON2_OK.rawValue else { return nil }
        let end = encoded.firstIndex(of: 0) ?? encoded.endIndex
        return String(decoding: encoded[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches the PHC string `encoded` (libargon2 compares in constant
    /// time). False for a string libargon2 cannot parse.
    public static func verify(password: [UInt8], encoded: String) -> Bool {
        guard let variant = Variant.allCases.first(where: { encoded.hasPrefix("$\($0.rawValue)$") }) else { return false }
        return password.withUnsafeBytes { passwordBytes in
            argon2_verify(encoded, passwordBytes.baseAddress, password.count, variant.c) == ARGON2_OK.rawValue
        }
    }
}
