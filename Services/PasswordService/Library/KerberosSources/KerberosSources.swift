import Logging

/// The Kerberos sources this daemon serves (docs/kerberos.md).
typealias KerberosSources = SourceRegistry<KerberosSourceRuntime>


extension SourceRegistry where Runtime == KerberosSourceRuntime {
    /// The registry, logging each source it starts serving, and warning of those that accept
    /// a KDC's word without a keytab each time they are loaded.
    convenience init(environment: [String: String], logger: Logger) {
        self.init(environment: environment) { runtime in
            let settings = runtime.settings
            logger.info(
                "kerberos_source_ready",
                metadata: [
                    "source": "\(settings.name)", "realm": "\(settings.realm)",
                    "kdcs": "\(settings.kdcs.isEmpty ? "(krb5.conf)" : settings.kdcs.joined(separator: " "))",
                    "verified": "\(settings.keytab != nil)", "pool_size": "\(settings.poolSize)",
                ])
            if settings.keytab == nil {
                logger.warning(
                    "kerberos_source_unverified",
                    metadata: [
                        "source": "\(settings.name)",
                        "reason": "allow_unverified: no keytab checks the KDC's answers, so whoever answers for the KDC's address can accept any password",
                    ])
            }
        }
    }

    /// The source a password change for `principal` is written back to: the first enabled one
    /// of its realm with `password_writeback`.
    func writeback(for principal: String) -> KerberosSourceRuntime? {
        enabled.first { $0.settings.passwordWriteback && $0.holds(principal: principal) }
    }
}
