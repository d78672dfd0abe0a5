/// Why a Kerberos check or password change did not succeed; `message` is libkrb5's text, which
/// never holds a password.
public struct KerberosError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A wrong password (preauthentication failed).
        case wrongPassword = "wrong_password"
        /// No such principal in the realm.
        case unknownPrincipal = "unknown_principal"
        /// The principal's password has expired: it must be changed first.
        case passwordExpired = "password_expired"
        /// The principal is locked or disabled.
        case revoked
        /// No KDC could be reached.
        case unreachable
        /// No answer within the source's time limit.
        case timeout
        /// Clocks apart by more than the allowed skew.
        case clockSkew = "clock_skew"
        /// The KDC's answer did not verify against the keytab: a KDC that does not know the
        /// service's key (possibly not the realm's at all), or a keytab that is not the realm's.
        case verificationFailed = "verification_failed"
        /// The keytab cannot be read, or holds no key for the service.
        case keytab
        /// A password change the server refused (its policy, say); the message says why.
        case refused
        /// What was given cannot be used (a malformed principal, …).
        case badRequest = "bad_request"
        /// Anything else.
        case other
    }

    public var kind: Kind
    public var code: Int32
    public var message: String

    public init(_ kind: Kind, code: Int32, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// Whether this says the password is wrong for that principal (as against the source failing).
    public var refusesThePassword: Bool {
        switch kind {
        case .wrongPassword, .unknownPrincipal, .passwordExpired, .revoked: true
        default: false
        }
    }

    public var description: String { "\(kind.rawValue) (\(code)): \(message)" }
}
