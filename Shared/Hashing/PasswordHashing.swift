import PosternCrypto
import Synchronization

/// Every stored-hash family Postern verifies, and the policy new hashes follow.
///
/// Verification follows Django's `check_password`: an empty,
/// unusable (`!…`) or unknown hash never verifies but costs one hash of the current default, so
/// the time taken does not tell; a match on any hash that is not the current algorithm with the
/// current parameters asks for a re-hash.
public struct PasswordHashing: Sendable {
    public enum Outcome: Equatable, Sendable {
        case mismatch
        /// The password is right; `needsRehash`: store `hash(password)` in place of the old one.
        case match(needsRehash: Bool)
    }

    public let policy: HashingPolicy
    /// A hash of a random password under the policy, made at the first check that needs it:
    /// what an empty, unusable or unknown hash is checked against instead.
    private let dummy = DummyHash()

    static let families: [any PasswordHashFamily] = [
        DjangoPBKDF2Family(digest: .sha256),
        DjangoPBKDF2Family(digest: .sha1),
        Argon2Family(djangoPrefix: "argon2"),
        DjangoBcryptFamily(prehashed: true),
        DjangoBcryptFamily(prehashed: false),
        DjangoScryptFamily(),
        Argon2Family(djangoPrefix: ""),
        CryptFamily(method: .bcrypt),
        CryptFamily(method: .sha512crypt),
        CryptFamily(method: .yescrypt),
    ]

    public init(policy: HashingPolicy = .standard) {
        self.policy = policy
    }

    /// The family of `encoded`, or nil for an unknown format.
    static func family(of encoded: String) -> (any PasswordHashFamily)? {
        families.first { $0.claims(encoded) }
    }

    /// The family of `encoded` when it is a usable, well-formed hash of a known format: nil for
    /// an empty or `!`-prefixed (unusable) one, an unknown format or a malformed one.
    private static func usableFamily(of encoded: String) -> (any PasswordHashFamily)? {
        guard !encoded.isEmpty, !encoded.hasPrefix("!"), let family = family(of: encoded),
              (try? family.validate(encoded)) != nil
        else { return nil }
        return family
    }

    /// Checks a hash about to be imported: refused now, with the reason, rather than failing
    /// every login later. An empty or `!`-prefixed hash is accepted: it marks a user without a
    /// usable password.
    public static func validateForImport(_ encoded: String) throws(HashFormatError) {
        if encoded.isEmpty || encoded.hasPrefix("!") { return }
        guard encoded.utf8.count <= 1024 else { throw HashFormatError("the hash is longer than 1024 bytes") }
        guard let family = family(of: encoded) else {
            throw HashFormatError(
                "unknown hash format; known: pbkdf2_sha256$, pbkdf2_sha1$, argon2$, bcrypt_sha256$, bcrypt$, scrypt$, "
                    + "$argon2id$, $2b$, $6$, $y$")
        }
        try family.validate(encoded)
    }

    /// A new hash of `password` under the policy.
    public func hash(_ password: [UInt8]) -> String {
        switch policy.algorithm {
        case .argon2id:
            guard let encoded = Argon2Family.encode(password, parameters: policy.argon2) else {
                preconditionFailure("libargon2 refused the configured parameters \(policy.argon2)")
            }
            return encoded
        case .pbkdf2SHA256:
            return DjangoPBKDF2Family(digest: .sha256).encode(password, iterations: policy.pbkdf2Iterations)
        }
    }

    /// A hash under the policy's algorithm with `fraction` (0…1) of its work — Argon2id's
    /// memory, PBKDF2's iterations — whose result is thrown away: what tops a cheaper check up
    /// to a check at the policy with the policy's own kind of work, and so its spread.
    public func partialDummyHash(fraction: Double) {
        let fraction = min(1, max(0, fraction))
        guard fraction > 0 else { return }
        let password = Array("postern: padding".utf8)
        switch policy.algorithm {
        case .argon2id:
            var parameters = policy.argon2
            let floor = 8 * parameters.parallelism
            parameters.memoryKiB = max(floor, UInt32((Double(parameters.memoryKiB) * fraction).rounded()))
            _ = Argon2Family.encode(password, parameters: parameters)
        case .pbkdf2SHA256:
            let iterations = max(1, Int((Double(policy.pbkdf2Iterations) * fraction).rounded()))
            _ = DjangoPBKDF2Family(digest: .sha256).encode(password, iterations: iterations)
        }
    }

    public func verify(_ password: [UInt8], against encoded: String) -> Outcome {
        guard let family = Self.usableFamily(of: encoded) else {
            // A real check at the policy, down the same path as a user's hash, so the time
            // taken does not tell (making a new hash instead cost measurably more: its
            // encoding and fresh salt, half a millisecond here).
            let dummyEncoded = dummy.encoded { hash(SecureRandom.bytes(32)) }
            if let family = Self.usableFamily(of: dummyEncoded) { _ = family.verify(password, against: dummyEncoded) }
            return .mismatch
        }
        guard family.verify(password, against: encoded) else { return .mismatch }
        return .match(needsRehash: !isCurrent(encoded))
    }

    /// Whether `verify(_:against: encoded)` does the policy's own work: for a hash of the current
    /// algorithm and parameters, and for an empty, unusable, unknown or malformed one (the
    /// dummy hash). Any other hash costs its own work, more or less.
    public func verifyCostsCurrentWork(_ encoded: String) -> Bool {
        Self.usableFamily(of: encoded) == nil || isCurrent(encoded)
    }

    /// Whether `password` matches `encoded`, any format Postern knows (postern-history's
    /// imported authentik history); false for an empty, unusable, unknown or malformed hash.
    /// Costs that hash's own work, nothing when it is unusable.
    public static func matches(_ password: [UInt8], encoded: String) -> Bool {
        usableFamily(of: encoded)?.verify(password, against: encoded) ?? false
    }

    /// Whether `encoded` is the policy's algorithm with exactly its parameters.
    public func isCurrent(_ encoded: String) -> Bool {
        switch policy.algorithm {
        case .argon2id:
            let phc = Argon2Family(djangoPrefix: "")
            guard phc.claims(encoded), let parameters = try? phc.parameters(encoded) else { return false }
            return parameters == policy.argon2 && encoded.hasPrefix("$argon2id$v=19$")
        case .pbkdf2SHA256:
            let family = DjangoPBKDF2Family(digest: .sha256)
            guard family.claims(encoded), let parsed = try? family.parse(encoded) else { return false }
            return parsed.iterations == policy.pbkdf2Iterations && parsed.salt.count >= 22
        }
    }
}

/// The dummy hash of one `PasswordHashing`, made once.
private final class DummyHash: Sendable {
    private let made = Mutex<String?>(nil)

    func encoded(_ make: () -> String) -> String {
        if let existing = made.withLock({ $0 }) { return existing }
        let fresh = make()
        return made.withLock { stored in
            if let stored { return stored }
            stored = fresh
            return fresh
        }
    }
}
