import Foundation
import GRDB
import PosternStore

/// App passwords, and the check value of the key that sealed them.
extension PasswordStore {
    static let appPasswordKeyCheckSetting = "app_password_key_check"

    /// The check value of the key the stored app passwords were sealed with; nil before the first.
    public func appPasswordKeyCheck() async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_setting WHERE key = ?", arguments: [Self.appPasswordKeyCheckSetting])
        }
    }

    /// Records `check` as the key's; done with the first app password, and at start when no
    /// app password is stored (a new key then replaces an unused one).
    public func setAppPasswordKeyCheck(_ check: String) async throws(StoreError) {
        try await write { db in try Self.setKeyCheck(check, db) }
    }

    public func appPasswordCount() async throws(StoreError) -> Int {
        try await read { db in try StoredAppPassword.fetchCount(db) }
    }

    /// Stores an app password and the check value of the key that sealed it, in one transaction.
    public func insert(_ appPassword: StoredAppPassword, keyCheck: String) async throws(StoreError) {
        try await write { db in
            try Self.setKeyCheck(keyCheck, db)
            try appPassword.insert(db)
        }
    }

    /// Stores a new user and its app password together: a service account exists with its app
    /// password or not at all.
    public func insert(_ user: StoredUser, with appPassword: StoredAppPassword, keyCheck: String) async throws(StoreError) {
        try await write { db in
            try Self.setKeyCheck(keyCheck, db)
            try user.insert(db)
            try appPassword.insert(db)
        }
    }

    public func appPassword(id: String) async throws(StoreError) -> StoredAppPassword? {
        try await read { db in try StoredAppPassword.fetchOne(db, key: id) }
    }

    /// Oldest first; one user's when `userID` is given; revoked ones only when asked.
    public func appPasswords(userID: String?, includeRevoked: Bool) async throws(StoreError) -> [StoredAppPassword] {
        try await read { db in
            var request = StoredAppPassword.order(Column("created_at"), Column("id"))
            if let userID { request = request.filter(Column("user_id") == userID) }
            if !includeRevoked { request = request.filter(Column("revoked_at") == nil) }
            return try request.fetchAll(db)
        }
    }

    /// Marks the app password revoked (keeping the first revocation's time); nil when there is none.
    public func revokeAppPassword(id: String, at now: Date) async throws(StoreError) -> StoredAppPassword? {
        try await write { db in
            guard var row = try StoredAppPassword.fetchOne(db, key: id) else { return nil }
            if row.revokedAt == nil {
                row.revokedAt = now
                try row.update(db)
            }
            return row
        }
    }

    private static func setKeyCheck(_ check: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO store_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [appPasswordKeyCheckSetting, check])
    }
}
