import PosternCrypto
import PosternRPC

/// How new passwords are hashed: the algorithm and its parameters (docs/hashing.md).
public struct HashingPolicy: Sendable, Equatable {
    public enum Algorithm: String, Sendable, CaseIterable {
        /// Argon2id in its PHC string (the default).
        case argon2id
        /// PBKDF2-HMAC-SHA256 in Django's format, for operators who need a FIPS-approved KDF.
        case pbkdf2SHA256 = "pbkdf2_sha256"
    }

    public var algorithm: Algorithm
    public var argon2: Argon2.Parameters
    public var pbkdf2Iterations: Int

    /// OWASP's Argon2id minimum (m=19456 KiB, t=2, p=1); Django 5.2's PBKDF2 iteration count.
    public static let standard = HashingPolicy(
        algorithm: .argon2id,
        argon2: Argon2.Parameters(variant: .id, memoryKiB: 19456, iterations: 2, parallelism: 1, hashLength: 32),
        pbkdf2Iterations: 1_000_000)

    public init(algorithm: Algorithm, argon2: Argon2.Parameters, pbkdf2Iterations: Int) {
        self.algorithm = algorithm
        self.argon2 = argon2
        self.pbkdf2Iterations = pbkdf2Iterations
    }
}

extension HashingPolicy {
    /// The policy the `hash.*` keys configure; a combination libargon2 refuses (less than 8 KiB
    /// of memory per lane) keeps the daemon from starting.
    public init(_ settings: HashingSettings) throws(StartupError) {
        guard let algorithm = Algorithm(rawValue: settings.algorithm) else {
            throw StartupError("hash.algorithm \(settings.algorithm) is unknown")
        }
        guard settings.argon2MemoryKiB >= 8 * settings.argon2Parallelism else {
            throw StartupError(
                "hash.argon2.memory_kib (\(settings.argon2MemoryKiB)) must be at least 8 × hash.argon2.parallelism "
                    + "(\(settings.argon2Parallelism))")
        }
        self.init(
            algorithm: algorithm,
            argon2: Argon2.Parameters(
                variant: .id, memoryKiB: UInt32(settings.argon2MemoryKiB), iterations: UInt32(settings.argon2Iterations),
                parallelism: UInt32(settings.argon2Parallelism), hashLength: 32),
            pbkdf2Iterations: settings.pbkdf2Iterations)
    }
}
