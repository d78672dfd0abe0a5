import Foundation
import Logging
import PosternDaemon
import PosternHashing
import PosternRPC
import PosternWire

/// Checks a user's password on the hashing pool, and upgrades an outdated hash after a match:
/// authentik's `check_password` with its upgrade callback. The
/// upgrade is not a password change: `password_changed_at` stays, and no event is logged as
/// one. Used by ChangePassword now and by Authenticate (issue 14).
public struct PasswordVerifier: Sendable {
    let store: PasswordStore
    let hashing: PasswordHashing
    let pool: HashingPool
    let logger: Logger
    private let currentHashTime = CurrentHashTime()

    public init(store: PasswordStore, hashing: PasswordHashing, pool: HashingPool, logger: Logger) {
        self.store = store
        self.hashing = hashing
        self.pool = pool
        self.logger = logger
    }

    /// Whether `password` is `user`'s: the hash stored for them afterwards when it is, nil when
    /// not. A nil `user` (unknown) and inactive users get nil after the same work as a real
    /// check. On a match with an outdated hash the stored hash is replaced by one of the
    /// current policy, unless the password changed meanwhile. A check of a hash cheaper than
    /// the policy's (an import from /etc/shadow, a Django hash with few iterations) takes as
    /// long as a check at the policy, as an unknown user's does: the rest is waited out after
    /// the hashing thread is free again.
    public func verify(_ password: [UInt8], for user: (any PasswordHolder)?) async throws(RPCError) -> String? {
        let encoded = user?.passwordHash ?? ""
        let hashing = self.hashing
        let currentHashTime = self.currentHashTime
        let (outcome, upgrade, shortfall): (PasswordHashing.Outcome, String?, Duration) = try await pool.run {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = hashing.verify(password, against: encoded)
            if hashing.verifyCostsCurrentWork(encoded) {
                currentHashTime.record(start.duration(to: clock.now))
                return (outcome, nil, .zero)
            }
            let upgrade = outcome == .match(needsRehash: true) ? hashing.hash(password) : nil
            // Nothing measured yet: measure one check at the policy now (this one call is
            // slower than the rest instead of faster).
            let typical = currentHashTime.typical ?? {
                let dummy = clock.now
                _ = hashing.verify(password, against: "")
                currentHashTime.record(dummy.duration(to: clock.now))
                return .zero
            }()
            return (outcome, upgrade, max(.zero, typical - start.duration(to: clock.now)))
        }
        if shortfall > .zero {
            // Cancelled (deadline, client gone): answer at once; nobody is timing it.
            try? await Task.sleep(for: shortfall)
        }
        guard let user, user.isActive, case .match = outcome else { return nil }
        if let upgrade {
            do {
                if try await store.replacePasswordHash(
                    id: user.id, expected: encoded, with: upgrade, changedAt: nil, now: Date()) != nil
                {
                    logger.notice("password_hash_upgraded", metadata: ["user_id": "\(user.id)"])
                    return upgrade
                }
            } catch {
                // The login stands; the upgrade is tried again next time.
                logger.warning("password hash upgrade failed", metadata: ["user_id": "\(user.id)", "error": "\(error)"])
            }
        }
        return encoded
    }
}
