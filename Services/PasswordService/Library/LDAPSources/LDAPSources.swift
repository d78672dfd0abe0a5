import Logging

/// The LDAP sources this daemon serves (docs/ldap.md).
typealias LDAPSources = SourceRegistry<LDAPSourceRuntime>

extension LDAPSourceSettings: SourceSettings {}
extension LDAPSourceRuntime: SourceRuntime {}

extension SourceRegistry where Runtime == LDAPSourceRuntime {
    /// The registry, logging each source it starts serving, and warning of those switched off
    /// from verifying certificates each time they are loaded.
    convenience init(environment: [String: String], logger: Logger) {
        self.init(environment: environment) { runtime in
            let settings = runtime.settings
            logger.info(
                "ldap_source_ready",
                metadata: [
                    "source": "\(settings.name)", "uris": "\(settings.uris.joined(separator: " "))",
                    "user_dn": "\(settings.userDN.rawValue)", "pool_size": "\(settings.poolSize)",
                ])
            if settings.insecureSkipVerify {
                logger.warning(
                    "ldap_source_insecure",
                    metadata: [
                        "source": "\(settings.name)",
                        "reason": "insecure_skip_verify: the server's certificate is not checked, so anyone on the path can read passwords",
                    ])
            }
        }
    }

    /// The source password changes are written back to: the first enabled one with
    /// `password_writeback`, as authentik takes the first such source.
    var writeback: LDAPSourceRuntime? { enabled.first { $0.settings.passwordWriteback } }
}
