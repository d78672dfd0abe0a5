/// Where a Kerberos realm's KDCs are: the realm's name, its KDCs (`host` or `host:port`, tried
/// in order; empty: the system's krb5.conf), and the kpasswd server password changes go to.
/// docs/kerberos.md.
public struct KerberosRealm: Sendable, Equatable {
    public var realm: String
    public var kdcs: [String]
    public var kpasswdServer: String?

    public init(realm: String, kdcs: [String], kpasswdServer: String? = nil) {
        self.realm = realm
        self.kdcs = kdcs
        self.kpasswdServer = kpasswdServer
    }

    /// The relations of the in-memory krb5.conf: DNS never consulted, TCP only (a KDC that is
    /// down refuses the connection at once instead of leaving datagrams unanswered), and no
    /// silent adoption of the KDC's clock (`kdc_timesync`): a skewed clock is reported as such,
    /// to be fixed on the host, not papered over by an unauthenticated error's timestamp.
    var profile: [(path: String, value: String)] {
        var relations: [(String, String)] = [
            ("libdefaults/default_realm", realm),
            ("libdefaults/dns_lookup_kdc", "false"),
            ("libdefaults/dns_lookup_realm", "false"),
            ("libdefaults/dns_canonicalize_hostname", "false"),
            ("libdefaults/rdns", "false"),
            ("libdefaults/udp_preference_limit", "1"),
            ("libdefaults/kdc_timesync", "0"),
        ]
        relations += kdcs.map { ("realms/\(realm)/kdc", $0) }
        if let kpasswdServer { relations.append(("realms/\(realm)/kpasswd_server", kpasswdServer)) }
        return relations
    }
}
