/// How a daemon hashes passwords and on how many threads (`hash.*` keys). postern-password
/// uses them for users' passwords; postern-history will use the Argon2 ones for its entries.
public struct HashingSettings: Sendable, Equatable {
    /// `argon2id` or `pbkdf2_sha256`.
    public var algorithm = "argon2id"
    public var argon2MemoryKiB = 19456
    public var argon2Iterations = 2
    public var argon2Parallelism = 1
    public var pbkdf2Iterations = 1_000_000
    /// Hashing threads; nil for one per CPU.
    public var threads: Int?
    /// Hashes that may wait for a thread; past it RESOURCE_EXHAUSTED.
    public var queueLimit = 64

    public init() {}
}
