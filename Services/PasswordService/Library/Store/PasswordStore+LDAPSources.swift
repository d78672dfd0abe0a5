import Foundation
import GRDB
import PosternStore

/// LDAP sources, and the users each one's sync imported.
extension PasswordStore {
    public func insert(_ source: LDAPSourceSettings, now: Date) async throws(StoreError) {
        let row = try Self.row(source, now: now)
        try await write { db in try row.insert(db) }
    }

    public func ldapSource(named name: String) async throws(StoreError) -> LDAPSourceSettings? {
        let row = try await read { db in try StoredLDAPSource.fetchOne(db, key: name) }
        return try row.map { row throws(StoreError) in try Self.settings(row) }
    }

    /// Every source, by name.
    public func ldapSources() async throws(StoreError) -> [LDAPSourceSettings] {
        let rows = try await read { db in try StoredLDAPSource.order(Column("name")).fetchAll(db) }
        return try rows.map { row throws(StoreError) in try Self.settings(row) }
    }

    /// Replaces the source of that name; false when there is none.
    public func replace(_ source: LDAPSourceSettings, now: Date) async throws(StoreError) -> Bool {
        let row = try Self.row(source, now: now)
        return try await write { db in
            guard var existing = try StoredLDAPSource.fetchOne(db, key: row.name) else { return false }
            existing.settings = row.settings
            existing.updatedAt = now
            try existing.update(db)
            return true
        }
    }

    public func deleteLDAPSource(named name: String) async throws(StoreError) -> Bool {
        try await write { db in try StoredLDAPSource.deleteOne(db, key: name) }
    }

    private static func row(_ source: LDAPSourceSettings, now: Date) throws(StoreError) -> StoredLDAPSource {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(source), let text = String(data: data, encoding: .utf8) else {
            throw .unavailable("an LDAP source's settings could not be encoded")
        }
        return StoredLDAPSource(name: source.name, settings: text, createdAt: now, updatedAt: now)
    }

    /// A stored row's settings. The row was written by `row(_:)`; one that no longer decodes
    /// (a hand edit) is the store's failure, named, rather than a source silently skipped.
    private static func settings(_ row: StoredLDAPSource) throws(StoreError) -> LDAPSourceSettings {
        do {
            return try JSONDecoder().decode(LDAPSourceSettings.self, from: Data(row.settings.utf8))
        } catch {
            throw .unavailable("LDAP source \(row.name)'s stored settings do not decode: \(error)")
        }
    }
}
