import Foundation
import GRDB
import PosternStore

/// A table of sources (`ldap_source`, `kerberos_source`): each row a source's name and its
/// settings as a JSON object.
enum SourceTable: String, Sendable {
    case ldap = "ldap_source"
    case kerberos = "kerberos_source"
}

/// Sources' settings (LDAP, Kerberos), stored as JSON with their name and times.
extension PasswordStore {
    func insert<S: SourceSettings & Codable>(_ source: S, into table: SourceTable, now: Date) async throws(StoreError) {
        let text = try Self.json(source)
        try await write { db in
            try db.execute(
                sql: "INSERT INTO \(table.rawValue) (name, settings, created_at, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [source.name, text, now, now])
        }
    }

    func source<S: SourceSettings & Codable>(named name: String, in table: SourceTable) async throws(StoreError) -> S? {
        let row = try await read { db in
            try String.fetchOne(db, sql: "SELECT settings FROM \(table.rawValue) WHERE name = ?", arguments: [name])
        }
        return try row.map { text throws(StoreError) in try Self.settings(text, name: name) }
    }

    /// Every source of the table, by name.
    func sources<S: SourceSettings & Codable>(in table: SourceTable) async throws(StoreError) -> [S] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, settings FROM \(table.rawValue) ORDER BY name").map {
                (name: $0["name"] as String, settings: $0["settings"] as String)
            }
        }
        return try rows.map { row throws(StoreError) in try Self.settings(row.settings, name: row.name) }
    }

    /// Replaces the source of that name; false when there is none.
    func replace<S: SourceSettings & Codable>(_ source: S, in table: SourceTable, now: Date) async throws(StoreError) -> Bool {
        let text = try Self.json(source)
        return try await write { db in
            try db.execute(
                sql: "UPDATE \(table.rawValue) SET settings = ?, updated_at = ? WHERE name = ?", arguments: [text, now, source.name])
            return db.changesCount > 0
        }
    }

    func deleteSource(named name: String, from table: SourceTable) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    // The LDAP sources' names for the calls above.
    public func insert(_ source: LDAPSourceSettings, now: Date) async throws(StoreError) {
        try await insert(source, into: .ldap, now: now)
    }

    public func ldapSource(named name: String) async throws(StoreError) -> LDAPSourceSettings? {
        try await source(named: name, in: .ldap)
    }

    public func ldapSources() async throws(StoreError) -> [LDAPSourceSettings] {
        try await sources(in: .ldap)
    }

    public func replace(_ source: LDAPSourceSettings, now: Date) async throws(StoreError) -> Bool {
        try await replace(source, in: .ldap, now: now)
    }

    public func deleteLDAPSource(named name: String) async throws(StoreError) -> Bool {
        try await deleteSource(named: name, from: .ldap)
    }

    private static func json<S: Encodable>(_ source: S) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(source), let text = String(data: data, encoding: .utf8) else {
            throw .unavailable("a source's settings could not be encoded")
        }
        return text
    }

    /// A stored row's settings. The row was written by `json(_:)`; one that no longer decodes
    /// (a hand edit) is the store's failure, named, rather than a source silently skipped.
    private static func settings<S: Decodable>(_ text: String, name: String) throws(StoreError) -> S {
        do {
            return try JSONDecoder().decode(S.self, from: Data(text.utf8))
        } catch {
            throw .unavailable("source \(name)'s stored settings do not decode: \(error)")
        }
    }
}
