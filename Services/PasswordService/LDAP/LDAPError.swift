/// Why an LDAP operation did not succeed. `message` is libldap's and the server's text, which
/// never holds the password sent.
public struct LDAPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Result 49: a wrong password or a DN that does not exist.
        case invalidCredentials = "invalid_credentials"
        /// No server could be reached, or the connection broke.
        case unreachable
        /// The server did not answer within the time allowed.
        case timeout
        /// The TLS handshake failed: most often a certificate that does not verify.
        case tls
        /// The server answered with another result code (its message says why).
        case refused
        /// What was asked cannot be sent (a malformed URI, a NUL in a DN, …).
        case badRequest = "bad_request"
    }

    public var kind: Kind
    /// The LDAP result code (RFC 4511), or libldap's negative client code.
    public var code: Int32
    public var message: String

    public init(_ kind: Kind, code: Int32, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// Whether the connection can still be used after this error.
    public var connectionUsable: Bool { kind == .invalidCredentials || kind == .refused }

    public var description: String { "\(kind.rawValue) (LDAP \(code)): \(message)" }
}
