import Foundation
import GRDB
@testable import PasswordService
import Testing

/// A store written by an earlier schema is brought up to date at open, keeping its rows.
@Suite struct StoreMigrationTests {
    @Test func aVersion1StoreGainsPasswordStagesAndKeepsItsUsers() async throws {
        try await withTemporaryDirectory { dir in
            let path = "\(dir)/password.sqlite3"
            do {
                let queue = try DatabaseQueue(path: path)
                try PasswordStoreSchema.migrator.migrate(queue, upTo: "v1-users")
                try await queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO user (id, username, password_hash, created_at, updated_at)
                        VALUES ('u1', 'alice', 'pbkdf2_sha256$1$s$h', '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000')
                        """)
                }
                #expect(try await queue.read { try $0.tableExists("password_stage") } == false)
                try queue.close()
            }
            let store = try PasswordStore(path: path)
            #expect(try store.appliedMigrations() == [
                "v1-users", "v2-password-stages", "v3-failed-attempts", "v4-app-passwords", "v5-history-confirmations",
                "v6-password-must-change", "v7-ldap-sources", "v8-kerberos-sources",
            ])
            #expect(try await store.user(username: "alice")?.passwordHash == "pbkdf2_sha256$1$s$h")
            let now = Date()
            try await store.insert(StoredStage(
                name: "s", backends: "internal", failedAttemptsBeforeCancel: 5, allowShowPassword: false,
                configurationFlow: "", createdAt: now, updatedAt: now))
            #expect(try await store.stages().map(\.name) == ["s"])
        }
    }
}
