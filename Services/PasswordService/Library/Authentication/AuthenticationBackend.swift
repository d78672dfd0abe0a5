import PosternProtocol
import PosternRPC
import PosternWire

/// One place a secret can be checked: authentik's backends.
/// A backend answers the user it accepts the secret for, or nil; it never says why not, so
/// every refusal looks the same to the caller. New backends (app passwords, LDAP, Kerberos)
/// conform to this and join `AuthenticationBackends.all`; the chain does not change.
protocol AuthenticationBackend: Sendable {
    /// The stage's name for it.
    var kind: Postern.Password.V1.Backend { get }
    /// authentik's `auth_method` for a success through it: `password`, `app_password`, …
    var method: String { get }

    /// The user `secret` is right for, or nil. `context.user` is the pending user looked up in
    /// the store (nil when unknown: the backend must still do a real check's work).
    func authenticate(_ secret: [UInt8], context: LoginContext) async throws(RPCError) -> Acceptance?

    /// The same check when it needs no waiting (no hash, no I/O), or `.mustWait`.
    func checkNow(_ secret: [UInt8], context: LoginContext) -> ImmediateCheck
}

/// Whom a backend accepted, and through which source (an LDAP or Kerberos source's name).
struct Acceptance {
    var user: LoginUser
    var source: String? = nil
}

/// A backend's check made without waiting, if it can be.
enum ImmediateCheck {
    case accepted(LoginUser)
    case refused
    /// Only `authenticate` can tell.
    case mustWait
}

extension AuthenticationBackend {
    func checkNow(_ secret: [UInt8], context: LoginContext) -> ImmediateCheck { .mustWait }
}

/// The user database with the user's own password hash: authentik's InbuiltBackend.
/// Inactive users and unknown ones are refused after the same work as a real check, and a
/// match on an outdated hash upgrades it.
struct InternalBackend: AuthenticationBackend {
    let verifier: PasswordVerifier
    var kind: Postern.Password.V1.Backend { .internal }
    var method: String { "password" }

    func authenticate(_ secret: [UInt8], context: LoginContext) async throws(RPCError) -> Acceptance? {
        let user = context.user
        // A service account signs in only with an app password: its password is never checked,
        // after the same work as an unknown user's.
        let candidate = user?.type == .serviceAccount ? nil : user
        guard try await verifier.verify(secret, for: candidate) != nil, let candidate else { return nil }
        return Acceptance(user: candidate)
    }
}
