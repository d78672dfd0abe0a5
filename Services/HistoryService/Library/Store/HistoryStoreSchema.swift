import GRDB

/// The history store's schema, one migration per version; a released migration is never
/// edited (docs/storage.md).
enum HistoryStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-history", migrate: createHistory)
        migrator.registerMigration("v2-pending", migrate: createPending)
        return migrator
    }

    /// Entries are HMAC-SHA-256(pepper, Argon2id(password, the user's salt)) (docs/history.md);
    /// the salt is per user, so one password gives different digests for different users.
    private static func createHistory(_ db: Database) throws {
        try db.create(table: "history_setting") { table in
            table.primaryKey("key", .text)
            table.column("value", .text).notNull()
        }
        try db.create(table: "user_salt") { table in
            table.primaryKey("user_id", .text).check { length($0) > 0 }
            table.column("salt", .blob).notNull()
        }
        try db.create(table: "history_entry") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("user_id", .text).notNull()
            table.column("digest", .blob).notNull()
            // The Argon2id parameters the digest was made with (`m=19456,t=2,p=1`).
            table.column("parameters", .text).notNull()
            // The check value of the pepper it was made with: several may coexist (rotation).
            table.column("pepper_check", .text).notNull()
            table.column("created_at", .datetime).notNull()
            table.uniqueKey(["user_id", "id"])
        }
    }

    /// Entries recorded while postern-password sets a password, not yet confirmed: no check
    /// counts them, and unconfirmed they expire (docs/history.md "The record path").
    private static func createPending(_ db: Database) throws {
        try db.create(table: "pending_entry") { table in
            table.primaryKey("id", .text).check { length($0) > 0 }
            table.column("user_id", .text).notNull()
            table.column("digest", .blob).notNull()
            table.column("parameters", .text).notNull()
            table.column("pepper_check", .text).notNull()
            table.column("created_at", .datetime).notNull()
            table.column("expires_at", .datetime).notNull().indexed()
        }
    }
}
