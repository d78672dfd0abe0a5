import GRDB

/// The user store's schema, one migration per version. A migration, once released, is never
/// edited: a change is a new migration appended here. GRDB records the applied identifiers in
/// `grdb_migrations`, so each runs once, in order, inside a transaction, at start.
enum PasswordStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users", migrate: createUsers)
        migrator.registerMigration("v2-password-stages", migrate: createPasswordStages)
        migrator.registerMigration("v3-failed-attempts", migrate: createFailedAttempts)
        migrator.registerMigration("v4-app-passwords", migrate: createAppPasswords)
        migrator.registerMigration("v5-history-confirmations", migrate: createHistoryConfirmations)
        migrator.registerMigration("v6-password-must-change", migrate: addPasswordMustChange)
        migrator.registerMigration("v7-ldap-sources", migrate: createLDAPSources)
        migrator.registerMigration("v8-kerberos-sources", migrate: createKerberosSources)
        return migrator
    }

    /// Kerberos sources (docs/kerberos.md): each one's settings as a JSON object (never a key:
    /// only where the keytabs are).
    private static func createKerberosSources(_ db: Database) throws {
        try db.create(table: "kerberos_source") { table in
            table.primaryKey("name", .text).check { length($0) > 0 }
            table.column("settings", .text).notNull()
                .check(sql: "json_valid(settings) AND json_type(settings) = 'object'")
            table.column("created_at", .datetime).notNull()
            table.column("updated_at", .datetime).notNull()
        }
    }

    /// LDAP sources (docs/ldap.md): each one's settings as a JSON object, and which users a
    /// source's sync imported, by the entry's stable identity (entryUUID), so a later sync
    /// finds them again after a rename and disables those gone from the directory.
    private static func createLDAPSources(_ db: Database) throws {
        try db.create(table: "ldap_source") { table in
            table.primaryKey("name", .text).check { length($0) > 0 }
            table.column("settings", .text).notNull()
                .check(sql: "json_valid(settings) AND json_type(settings) = 'object'")
            table.column("created_at", .datetime).notNull()
            table.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "ldap_source_user") { table in
            table.column("source", .text).notNull().references("ldap_source", onDelete: .cascade)
            table.column("unique_id", .text).notNull().check { length($0) > 0 }
            table.column("user_id", .text).notNull().indexed().references("user", onDelete: .cascade)
            table.primaryKey(["source", "unique_id"])
        }
    }

    /// Whether the user must change their password at the next login (docs/passwords.md).
    private static func addPasswordMustChange(_ db: Database) throws {
        try db.alter(table: "user") { table in
            table.add(column: "password_must_change", .boolean).notNull().defaults(to: false)
        }
    }

    /// Passwords stored whose postern-history entry is still pending: written in the same
    /// transaction as the new hash, removed once postern-history confirmed it (docs/history.md).
    private static func createHistoryConfirmations(_ db: Database) throws {
        try db.create(table: "history_confirmation") { table in
            table.primaryKey("pending_id", .text).check { length($0) > 0 }
            table.column("user_id", .text).notNull()
            table.column("created_at", .datetime).notNull()
        }
    }

    /// App passwords (docs/app-passwords.md): sealed with AES-256-GCM, found by an HMAC index;
    /// and the store's settings, where the app-password key's check value lives.
    private static func createAppPasswords(_ db: Database) throws {
        try db.create(table: "app_password") { table in
            table.primaryKey("id", .text).check { length($0) > 0 }
            table.column("user_id", .text).notNull().indexed().references("user", onDelete: .cascade)
            table.column("description", .text).notNull().defaults(to: "")
            // HMAC-SHA-256 of the secret under the index key, hex.
            table.column("lookup_index", .text).notNull().unique()
            table.column("nonce", .blob).notNull()
            // The secret, AES-256-GCM under the encryption key, bound to the id; tag appended.
            table.column("sealed", .blob).notNull()
            table.column("created_at", .datetime).notNull()
            table.column("expires_at", .datetime)
            table.column("revoked_at", .datetime)
        }
        try db.create(table: "store_setting") { table in
            table.primaryKey("key", .text)
            table.column("value", .text).notNull()
        }
    }

    /// Failed password attempts per (stage, flow session), shared by every daemon on the store.
    private static func createFailedAttempts(_ db: Database) throws {
        try db.create(table: "failed_attempt") { table in
            table.column("stage", .text).notNull()
            table.column("flow_session", .text).notNull()
            table.column("count", .integer).notNull()
            table.column("expires_at", .datetime).notNull().indexed()
            table.primaryKey(["stage", "flow_session"])
        }
    }

    /// Password stages (authentik's PasswordStage model).
    private static func createPasswordStages(_ db: Database) throws {
        try db.create(table: "password_stage") { table in
            table.primaryKey("name", .text).check { length($0) > 0 }
            // Backend names in order, comma-separated: "internal,ldap".
            table.column("backends", .text).notNull().check { length($0) > 0 }
            table.column("failed_attempts_before_cancel", .integer).notNull().defaults(to: 5)
            table.column("allow_show_password", .boolean).notNull().defaults(to: false)
            table.column("configuration_flow", .text).notNull().defaults(to: "")
            table.column("created_at", .datetime).notNull()
            table.column("updated_at", .datetime).notNull()
        }
    }

    /// Users as authentik keeps them, with room for the LDAP
    /// and Kerberos backends of later issues.
    private static func createUsers(_ db: Database) throws {
        try db.create(table: "user") { table in
            // The IdP's identifier: stable across renames.
            table.primaryKey("id", .text).check { length($0) > 0 }
            // Exact, case-sensitive equality, as authentik looks users up (BINARY collation).
            table.column("username", .text).notNull().unique().check { length($0) > 0 }
            table.column("name", .text).notNull().defaults(to: "")
            table.column("is_active", .boolean).notNull().defaults(to: true)
            table.column("type", .text).notNull().defaults(to: "internal")
                .check { [UserType.internal.rawValue, UserType.serviceAccount.rawValue].contains($0) }
            // A JSON object.
            table.column("attributes", .text).notNull().defaults(to: "{}")
                .check(sql: "json_valid(attributes) AND json_type(attributes) = 'object'")
            // An encoded hash (docs/hashing.md); "" means no usable password.
            table.column("password_hash", .text).notNull().defaults(to: "")
            table.column("password_changed_at", .datetime)
            table.column("ldap_dn", .text)
            table.column("kerberos_principal", .text)
            table.column("created_at", .datetime).notNull()
            table.column("updated_at", .datetime).notNull()
        }
    }
}
