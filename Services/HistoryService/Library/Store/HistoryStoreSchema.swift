import GRDB

/// The history store's schema, one migration per version; a released migration is never
/// edited (docs/storage.md).
enum HistoryStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-history", migrate: createHistory)
        migrator.registerMigration("v2-pending", migrate: createPending)
        migrator.registerMigration("v3-compact", migrate: compact)
        migrator.registerMigration("v4-confirmed", migrate: rememberConfirmed)
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

    /// The same history in about a third of the bytes per entry (docs/history.md "Storage"):
    /// the user id and salt once per user (`history_user`), the parameters and pepper check
    /// once per kind (`entry_kind`), times as Unix milliseconds, and one index that serves a
    /// check's range read (user, newest first). Everything v1 and v2 stored is carried over.
    private static func compact(_ db: Database) throws {
        let unixMilliseconds = { (column: String) in
            "CAST(round((julianday(\(column)) - 2440587.5) * 86400000) AS INTEGER)"
        }
        try db.execute(sql: """
            CREATE TABLE history_user (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL UNIQUE CHECK (length(user_id) > 0),
                salt BLOB NOT NULL);
            CREATE TABLE entry_kind (
                id INTEGER PRIMARY KEY,
                parameters TEXT NOT NULL,
                pepper_check TEXT NOT NULL,
                UNIQUE (parameters, pepper_check));
            CREATE TABLE entry (
                id INTEGER PRIMARY KEY,
                user INTEGER NOT NULL REFERENCES history_user(id) ON DELETE CASCADE,
                kind INTEGER NOT NULL REFERENCES entry_kind(id),
                digest BLOB NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE INDEX entry_by_user ON entry (user, created_at);
            CREATE TABLE pending (
                id TEXT PRIMARY KEY CHECK (length(id) > 0),
                user INTEGER NOT NULL REFERENCES history_user(id) ON DELETE CASCADE,
                kind INTEGER NOT NULL REFERENCES entry_kind(id),
                digest BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL);
            CREATE INDEX pending_by_expiry ON pending (expires_at);

            INSERT INTO history_user (user_id, salt) SELECT user_id, salt FROM user_salt;
            INSERT OR IGNORE INTO entry_kind (parameters, pepper_check)
                SELECT parameters, pepper_check FROM history_entry
                UNION SELECT parameters, pepper_check FROM pending_entry;
            INSERT INTO entry (user, kind, digest, created_at)
                SELECT u.id, k.id, e.digest, \(unixMilliseconds("e.created_at"))
                FROM history_entry e
                JOIN history_user u ON u.user_id = e.user_id
                JOIN entry_kind k ON k.parameters = e.parameters AND k.pepper_check = e.pepper_check
                ORDER BY e.id;
            INSERT INTO pending (id, user, kind, digest, created_at, expires_at)
                SELECT p.id, u.id, k.id, p.digest, \(unixMilliseconds("p.created_at")), \(unixMilliseconds("p.expires_at"))
                FROM pending_entry p
                JOIN history_user u ON u.user_id = p.user_id
                JOIN entry_kind k ON k.parameters = p.parameters AND k.pepper_check = p.pepper_check;
            DROP TABLE history_entry;
            DROP TABLE pending_entry;
            DROP TABLE user_salt;
            """)
    }

    /// The ids of pending entries already confirmed, for a while, so that a Confirm repeated
    /// after postern-password was killed between Confirm and deleting its own row is answered
    /// "confirmed" rather than reported lost (docs/history.md "The record path").
    private static func rememberConfirmed(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE confirmed_pending (
                id TEXT PRIMARY KEY CHECK (length(id) > 0),
                confirmed_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX confirmed_pending_by_time ON confirmed_pending (confirmed_at);
            """)
    }
}
