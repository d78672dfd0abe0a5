import Foundation
import GRDB

/// One row of the `app_password` table. `sealed` holds the secret encrypted; nothing here is
/// the secret in clear.
public struct StoredAppPassword: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "app_password"

    public var id: String
    public var userID: String
    public var description: String
    public var lookupIndex: String
    public var nonce: Data
    public var sealed: Data
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(
        id: String, userID: String, description: String, lookupIndex: String, nonce: Data, sealed: Data, createdAt: Date,
        expiresAt: Date?, revokedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.description = description
        self.lookupIndex = lookupIndex
        self.nonce = nonce
        self.sealed = sealed
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, description, nonce, sealed
        case userID = "user_id"
        case lookupIndex = "lookup_index"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }
}
