import Foundation
import PosternCrypto
import Synchronization

/// The digests Checks computed, kept a few minutes for the Record that follows them
/// (docs/history.md "Reservations"): a password change is checked, then set, and without this
/// the history hashes the same password twice. Each reservation is single-use — taken out by
/// the first Record that names it, whether it fits or not — and bound to its user and, by a
/// keyed hash under a key that never leaves this process, to its password: a Record for another
/// password or user gets nothing from it, and one guess per Check is all it could ever tell.
/// In memory only: a restart (or another postern-history host) forgets them, and Record then
/// simply hashes. Bounded: past `capacity`, the oldest reservation goes.
final class HistoryReservations: Sendable {
    /// What Check computed, what Record stores.
    struct Reservation: Sendable {
        let userID: String
        let digest: PasswordHistory.PreparedDigest
        /// HMAC-SHA-256(key, user id ‖ 0 ‖ password).
        let tag: [UInt8]
        let expires: ContinuousClock.Instant
    }

    /// Why a reservation given to Record was not used, for the log (never the password).
    enum Miss: String, Error, Sendable {
        case unknown = "unknown_or_used"
        case expired
        case otherUser = "other_user"
        case otherPassword = "other_password"
    }

    static let defaultCapacity = 10_000
    /// A token: 16 random bytes as 32 lowercase hex digits.
    static let tokenBytes = 16

    private let key = SecureRandom.bytes(32)
    private let lifetime: Duration
    private let capacity: Int
    private let held = Mutex<[String: Reservation]>([:])

    init(lifetime: Duration, capacity: Int = defaultCapacity) {
        precondition(capacity > 0)
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Keeps `digest` for `userID`'s `password`; returns its token.
    func reserve(_ digest: PasswordHistory.PreparedDigest, userID: String, password: [UInt8]) -> String {
        let token = Hex.lowercase(SecureRandom.bytes(Self.tokenBytes))
        let now = ContinuousClock.now
        let reservation = Reservation(userID: userID, digest: digest, tag: tag(userID, password), expires: now + lifetime)
        held.withLock { held in
            if held.count >= capacity {
                held = held.filter { $0.value.expires > now }
                if held.count >= capacity, let oldest = held.min(by: { $0.value.expires < $1.value.expires }) {
                    held[oldest.key] = nil
                }
            }
            held[token] = reservation
        }
        return token
    }

    /// Takes the reservation `token` out, and gives its digest when it is for `userID` and
    /// `password` and has not expired; otherwise why not.
    func take(_ token: String, userID: String, password: [UInt8]) -> Result<PasswordHistory.PreparedDigest, Miss> {
        guard let reservation = held.withLock({ $0.removeValue(forKey: token) }) else { return .failure(.unknown) }
        guard reservation.expires > ContinuousClock.now else { return .failure(.expired) }
        // The password is compared whatever the user, so the time says nothing about either.
        let samePassword = ConstantTime.equals(tag(userID, password), reservation.tag)
        guard reservation.userID == userID else { return .failure(.otherUser) }
        guard samePassword else { return .failure(.otherPassword) }
        return .success(reservation.digest)
    }

    /// How many are held (expired ones included until they are pushed out).
    var count: Int { held.withLock { $0.count } }

    private func tag(_ userID: String, _ password: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticationCode(key: key, message: Array(userID.utf8) + [0] + password)
    }
}
