import Foundation
import PosternCrypto
import PosternProtocol
import PosternWire

/// App passwords: authentik's TokenBackend (research/authentik-spec.md §4.2) for the pending
/// user. The secret's HMAC index finds the row in one indexed read — no slow hash, so a check
/// costs about a round trip — and the row must be that user's, live (neither revoked nor
/// expired), and the user active. Without a key configured, nothing verifies.
struct AppPasswordBackend: AuthenticationBackend {
    let store: PasswordStore
    let key: AppPasswordKey?
    var kind: PasswordStage.Backend { .appPassword }
    var method: String { "app_password" }

    func authenticate(_ secret: [UInt8], user: StoredUser?) async throws(RPCError) -> StoredUser? {
        guard let key, secret.starts(with: Array(AppPasswordSecrets.prefix.utf8)) else { return nil }
        let index = key.index(of: secret)
        let row: StoredAppPassword?
        do {
            row = try store.appPassword(lookupIndex: index)
        } catch {
            throw RPCError(code: .unavailable, message: "the store is unavailable; try again")
        }
        guard let row, let user, user.isActive, row.isLive(at: Date()),
              ConstantTime.equals(Array(row.lookupIndex.utf8), Array(index.utf8)),
              ConstantTime.equals(Array(row.userID.utf8), Array(user.id.utf8))
        else { return nil }
        return user
    }
}
