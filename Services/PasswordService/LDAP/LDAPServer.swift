/// How to reach one directory: the URIs tried in order (libldap fails over from one to the
/// next when it cannot connect), TLS, and the two time limits. docs/ldap.md.
public struct LDAPServer: Sendable, Equatable {
    /// `ldap://`, `ldaps://` or `ldapi://` URIs, at least one.
    public var uris: [String]
    /// StartTLS on an `ldap://` connection before anything else is sent.
    public var startTLS: Bool
    /// PEM certificates of the CAs the server's certificate must chain to; nil: the system's.
    public var caFile: String?
    /// Whether the server's certificate (chain and name) is checked. Off only when asked for.
    public var verifyCertificate: Bool
    /// Time allowed for the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Time allowed for one operation's answer (a bind, a search, a password change).
    public var operationTimeout: Duration

    public init(
        uris: [String], startTLS: Bool = false, caFile: String? = nil, verifyCertificate: Bool = true,
        connectTimeout: Duration, operationTimeout: Duration
    ) {
        self.uris = uris
        self.startTLS = startTLS
        self.caFile = caFile
        self.verifyCertificate = verifyCertificate
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
    }
}
