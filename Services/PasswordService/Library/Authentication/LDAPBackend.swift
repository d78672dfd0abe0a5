import Logging
import PosternProtocol
import PosternRPC

/// A bind as the user to the enabled LDAP sources, by name: authentik's LDAPBackend. The first
/// source that accepts the password wins; a source that refuses it, cannot find the user, is
/// down, slow or fails TLS is passed over (the failure logged without the password and
/// counted), and after the last one the stage's next backend is tried. A user Postern does not
/// know, an inactive one and a service account are refused without asking any directory.
/// docs/ldap.md.
struct LDAPBackend: AuthenticationBackend {
    let sources: LDAPSources
    let passwords: PasswordsService
    let logger: Logger
    var kind: Postern.Password.V1.Backend { .ldap }
    var method: String { "ldap" }

    func authenticate(_ secret: [UInt8], context: LoginContext) async throws(RPCError) -> Acceptance? {
        guard let user = context.user, user.isActive, user.type != .serviceAccount else { return nil }
        for source in sources.enabled {
            let settings = source.settings
            // Without a DN on the record, only a source that searches can find the entry.
            guard user.ldapDN != nil || settings.userDN == .search else { continue }
            switch try await source.check(username: user.username, dn: user.ldapDN, password: secret) {
            case .accepted:
                if settings.updateInternalPassword {
                    await passwords.updateFromDirectory(secret, userID: user.id, source: settings.name)
                }
                return Acceptance(user: user, source: settings.name)
            case .refused(let reason):
                logger.debug("ldap_refused", metadata: ["source": "\(settings.name)", "user_id": "\(user.id)", "reason": "\(reason)"])
            case .failed(let error):
                logger.warning(
                    "ldap_failed",
                    metadata: [
                        "source": "\(settings.name)", "user_id": "\(user.id)", "reason": "\(error.kind.rawValue)",
                        "detail": "\(error.message)",
                    ])
            }
        }
        return nil
    }
}
