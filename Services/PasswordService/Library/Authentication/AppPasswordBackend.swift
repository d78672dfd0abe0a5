import Foundation
import PosternCrypto
import PosternProtocol
import PosternRPC
import PosternWire

/// App passwords: authentik's TokenBackend for the pending
/// user. The secret's HMAC index finds the row, in the login's one store read — no slow hash,
/// so a check costs about a round trip — and the row must be that user's, live (neither
/// revoked nor expired), and the user active. Without a key configured, nothing verifies.
struct AppPasswordBackend: AuthenticationBackend {
    let key: AppPasswordKey?
    var kind: Postern.Password.V1.Backend { .appPassword }
    var method: String { "app_password" }

    /// The lookup index of `secret` when it can be an app password: the login's one store read
    /// fetches that row along with the rest (`LoginContext.appPassword`).
    func index(of secret: [UInt8]) -> String? {
        guard let key, secret.starts(with: AppPasswordSecrets.prefix.utf8) else { return nil }
        return key.index(of: secret)
    }

    func authenticate(_ secret: [UInt8], context: LoginContext) async throws(RPCError) -> Acceptance? {
        if case .accepted(let user) = checkNow(secret, context: context) { return Acceptance(user: user) }
        return nil
    }

    /// Never waits: the row came with the login's read.
    func checkNow(_ secret: [UInt8], context: LoginContext) -> ImmediateCheck {
        // The index the login read looked the row up by, computed once per call.
        guard let index = context.appPasswordIndex, let row = context.appPassword, let user = context.user, user.isActive,
              row.isLive(at: Date()),
              ConstantTime.equals(Array(row.lookupIndex.utf8), Array(index.utf8)),
              ConstantTime.equals(Array(row.userID.utf8), Array(user.id.utf8))
        else { return .refused }
        return .accepted(user)
    }
}
