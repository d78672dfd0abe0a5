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
    /// the policy's (an import from /etc/shadow, a Django hash with few iterations) that fails
    /// is topped up to a check at the policy by a partial dummy hash of the policy's algorithm
    /// with the share of its work the cheap check did not do, so that both its median and its
    /// spread are a real check's (docs/authenticate.md). A match on such a hash hashes the
    /// upgrade, a whole policy hash.
    public func verify(_ password: [UInt8], for user: (any PasswordHolder)?) async throws(RPCError) -> String? {
        let encoded = user?.passwordHash ?? ""
        let hashing = self.hashing
        let currentHashTime = self.currentHashTime
        let (outcome, upgrade): (PasswordHashing.Outcome, String?) = try await pool.run {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = hashing.verify(password, against: encoded)
            let spent = start.duration(to: clock.now)
            if hashing.verifyCostsCurrentWork(encoded) {
                currentHashTime.record(spent)
                return (outcome, nil)
            }
            if outcome == .match(needsRehash: true) { return (outcome, hashing.hash(password)) }
            guard let typical = currentHashTime.typical, typical > .zero else {
                // Nothing measured yet: a whole dummy check, measured.
                let dummy = clock.now
                _ = hashing.verify(password, against: "")
                currentHashTime.record(dummy.duration(to: clock.now))
                return (outcome, nil)
            }
            let fraction = currentHashTime.fraction(toTake: typical - spent, of: typical)
            let padding = clock.now
            hashing.partialDummyHash(fraction: fraction)
            currentHashTime.recordPartial(fraction: fraction, of: typical, took: padding.duration(to: clock.now))
            return (outcome, nil)
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
