import Foundation
import GRDB

/// One row of the `ldap_source` table: the settings as JSON.
struct StoredLDAPSource: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ldap_source"

    var name: String
    var settings: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case name, settings
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
