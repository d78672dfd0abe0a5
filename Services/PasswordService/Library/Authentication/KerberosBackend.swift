import Logging
import PosternKerberos
import PosternProtocol
import PosternRPC

/// Initial credentials from the enabled Kerberos sources, by name, each KDC answer verified
/// against the source's keytab: authentik's KerberosBackend, without its blind trust in
/// whoever answers for the KDC. The principal is the record's `kerberos_principal`, else the
/// username as one component in the source's realm (never split at an '@'). The first source
/// that accepts wins; a refusal, a KDC down or slow, an answer that does not verify, clock skew
/// — each logged without the password and counted — passes to the next source, then the next
/// backend. docs/kerberos.md.
struct KerberosBackend: AuthenticationBackend {
    let sources: KerberosSources
    let passwords: PasswordsService
    let logger: Logger
    var kind: Postern.Password.V1.Backend { .kerberos }
    var method: String { "kerberos" }

    func authenticate(_ secret: [UInt8], context: LoginContext) async throws(RPCError) -> Acceptance? {
        guard let user = context.user, user.isActive, user.type != .serviceAccount else { return nil }
        for source in sources.enabled {
            let settings = source.settings
            // A record's principal of another realm is not this source's to check.
            if let principal = user.kerberosPrincipal, !source.holds(principal: principal) { continue }
            switch try await source.check(principal: user.kerberosPrincipal, username: user.username, password: secret) {
            case .accepted(let principal):
                if settings.updateInternalPassword {
                    await passwords.updateFromDirectory(secret, userID: user.id, source: settings.name, backend: "kerberos")
                }
                logger.debug("kerberos_accepted", metadata: ["source": "\(settings.name)", "principal": "\(principal)"])
                return Acceptance(user: user, source: settings.name)
            case .refused(let error) where error.kind == .passwordExpired:
                logger.notice(
                    "kerberos_password_expired",
                    metadata: ["source": "\(settings.name)", "user_id": "\(user.id)", "detail": "\(error.message)"])
            case .refused(let error):
                logger.debug(
                    "kerberos_refused", metadata: ["source": "\(settings.name)", "user_id": "\(user.id)", "reason": "\(error.kind.rawValue)"])
            case .failed(let error):
                logger.warning(
                    "kerberos_failed",
                    metadata: [
                        "source": "\(settings.name)", "user_id": "\(user.id)", "reason": "\(error.kind.rawValue)",
                        "detail": "\(error.message)",
                    ])
            }
        }
        return nil
    }
}
