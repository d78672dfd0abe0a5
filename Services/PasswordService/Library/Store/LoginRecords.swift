import Foundation

/// What a password check needs of a user, whichever record it comes from.
public protocol PasswordHolder: Sendable {
    var id: String { get }
    var passwordHash: String { get }
    var isActive: Bool { get }
}

extension StoredUser: PasswordHolder {}

/// The user as a login reads them: who they are, whether they may sign in, and their hash —
/// not their name, attributes (a JSON object of any size) or dates, which no backend needs.
public struct LoginUser: PasswordHolder, Equatable {
    public var id: String
    public var username: String
    public var isActive: Bool
    public var type: UserType
    public var passwordHash: String
    /// The password must be changed now (an admin's reset, an expired password).
    public var passwordMustChange = false
    /// The user's entry in an LDAP directory, if the record names one.
    public var ldapDN: String? = nil
    /// The user's Kerberos principal, if the record names one.
    public var kerberosPrincipal: String? = nil
}

extension LoginUser {
    /// The login's view of a full record.
    public init(_ user: StoredUser) {
        self.init(
            id: user.id, username: user.username, isActive: user.isActive, type: user.type, passwordHash: user.passwordHash,
            passwordMustChange: user.passwordMustChange, ldapDN: user.ldapDN, kerberosPrincipal: user.kerberosPrincipal)
    }
}

/// The stage as a login reads it: its name, backends and failure limit — not its flags or
/// dates, which no login needs (two date parses and two strings less per call).
public struct LoginStage: Sendable, Equatable {
    public var name: String
    /// Backend names in order, comma-separated, as stored.
    public var backends: String
    public var failedAttemptsBeforeCancel: Int

    public init(name: String, backends: String, failedAttemptsBeforeCancel: Int) {
        self.name = name
        self.backends = backends
        self.failedAttemptsBeforeCancel = failedAttemptsBeforeCancel
    }
}

extension LoginStage {
    /// The login's view of a full record.
    public init(_ row: StoredStage) {
        self.init(name: row.name, backends: row.backends, failedAttemptsBeforeCancel: row.failedAttemptsBeforeCancel)
    }
}

/// An app password as a login checks it: whose it is and whether it is live — not its sealed
/// secret, which only an admin's View opens.
public struct LoginAppPassword: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var lookupIndex: String
    public var expiresAt: Date?
    public var revokedAt: Date?

    /// Neither revoked nor expired at `now`.
    public func isLive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

extension LoginAppPassword {
    /// The login's view of a full record.
    public init(_ row: StoredAppPassword) {
        self.init(id: row.id, userID: row.userID, lookupIndex: row.lookupIndex, expiresAt: row.expiresAt, revokedAt: row.revokedAt)
    }
}
