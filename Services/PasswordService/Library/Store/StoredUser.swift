import Foundation
import GRDB

/// One row of the `user` table.
public struct StoredUser: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"

    public var id: String
    public var username: String
    public var name: String
    public var isActive: Bool
    public var type: UserType
    /// A JSON object, as text.
    public var attributes: String
    /// An encoded password hash; empty when the user has no usable password.
    public var passwordHash: String
    public var passwordChangedAt: Date?
    /// The password must be changed at the next login.
    public var passwordMustChange: Bool
    public var ldapDN: String?
    public var kerberosPrincipal: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, username: String, name: String = "", isActive: Bool = true, type: UserType = .internal,
        attributes: String = "{}", passwordHash: String = "", passwordChangedAt: Date? = nil, passwordMustChange: Bool = false,
        ldapDN: String? = nil, kerberosPrincipal: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.username = username
        self.name = name
        self.isActive = isActive
        self.type = type
        self.attributes = attributes
        self.passwordHash = passwordHash
        self.passwordChangedAt = passwordChangedAt
        self.passwordMustChange = passwordMustChange
        self.ldapDN = ldapDN
        self.kerberosPrincipal = kerberosPrincipal
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, name, type, attributes
        case isActive = "is_active"
        case passwordHash = "password_hash"
        case passwordChangedAt = "password_changed_at"
        case passwordMustChange = "password_must_change"
        case ldapDN = "ldap_dn"
        case kerberosPrincipal = "kerberos_principal"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension StoredUser: CustomStringConvertible {
    /// Never shows the hash.
    public var description: String {
        "StoredUser(id: \(id), username: \(username), active: \(isActive), type: \(type.rawValue))"
    }
}
