import Foundation
import GRDB
import PasswordService
import PosternStore
import PosternRPC
import PosternWire
import Testing

/// The user store on real SQLite files.
@Suite struct PasswordStoreTests {
    static func user(_ id: String, _ username: String, hash: String = "") -> StoredUser {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        return StoredUser(id: id, username: username, passwordHash: hash, createdAt: now, updatedAt: now)
    }

    /// A stage of the internal backend that cancels after five failures.
    static func stage(_ name: String) -> StoredStage {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        return StoredStage(
            name: name, backends: "internal", failedAttemptsBeforeCancel: 5, allowShowPassword: false,
            configurationFlow: "", createdAt: now, updatedAt: now)
    }

    @Test func aNewStoreIsInWALModeWithEveryMigrationApplied() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            #expect(try store.journalMode() == "wal")
            #expect(try store.writerSynchronous() == 2, "every commit is synced: synchronous = FULL")
            #expect(try store.appliedMigrations() == [
                "v1-users", "v2-password-stages", "v3-failed-attempts", "v4-app-passwords", "v5-history-confirmations",
                "v6-password-must-change", "v7-ldap-sources", "v8-kerberos-sources",
            ])
            #expect(FileManager.default.fileExists(atPath: "\(dir)/password.sqlite3"))
        }
    }

    @Test func reopeningKeepsTheRowsAndRunsNoMigrationTwice() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try PasswordStore(directory: dir)
                try await store.insert(Self.user("u1", "alice", hash: "pbkdf2_sha256$1$salt$hash"))
            }
            let reopened = try PasswordStore(directory: dir)
            #expect(try reopened.appliedMigrations() == [
                "v1-users", "v2-password-stages", "v3-failed-attempts", "v4-app-passwords", "v5-history-confirmations",
                "v6-password-must-change", "v7-ldap-sources", "v8-kerberos-sources",
            ])
            let alice = try #require(try await reopened.user(username: "alice"))
            #expect(alice.id == "u1")
            #expect(alice.passwordHash == "pbkdf2_sha256$1$salt$hash")
            #expect(alice.isActive)
            #expect(alice.type == .internal)
        }
    }

    @Test func aStoreFromANewerSchemaIsRefusedAndLeftAlone() async throws {
        try await withTemporaryDirectory { dir in
            _ = try PasswordStore(directory: dir)
            // What a later version would have recorded.
            let queue = try DatabaseQueue(path: "\(dir)/password.sqlite3")
            try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
            try queue.close()
            let error = #expect(throws: StartupError.self) { try PasswordStore(directory: dir) }
            #expect(error?.message.contains("newer schema") == true, "\(String(describing: error))")
        }
    }

    @Test func aFileThatIsNotADatabaseSaysSo() async throws {
        try await withTemporaryDirectory { dir in
            try Data("not sqlite at all, just text that goes on for a while".utf8)
                .write(to: URL(fileURLWithPath: "\(dir)/password.sqlite3"))
            let error = #expect(throws: StartupError.self) { try PasswordStore(directory: dir) }
            #expect(error?.message.contains("\(dir)/password.sqlite3") == true, "\(String(describing: error))")
        }
    }

    @Test func usernamesAndIdsAreUniqueAndUsernamesAreCaseSensitive() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            try await store.insert(Self.user("u1", "alice"))
            await #expect(throws: StoreError.alreadyExists(column: "username")) {
                try await store.insert(Self.user("u2", "alice"))
            }
            await #expect(throws: StoreError.alreadyExists(column: "id")) {
                try await store.insert(Self.user("u1", "bob"))
            }
            // authentik matches usernames exactly: "Alice" is someone else.
            try await store.insert(Self.user("u3", "Alice"))
            #expect(try await store.user(username: "Alice")?.id == "u3")
            #expect(try await store.user(username: "alice")?.id == "u1")
        }
    }

    @Test func theSchemaRefusesBadValues() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            var notJSON = Self.user("u1", "alice")
            notJSON.attributes = "{not json"
            await #expect(throws: StoreError.self) { try await store.insert(notJSON) }
            var array = Self.user("u2", "bob")
            array.attributes = "[1, 2]"
            await #expect(throws: StoreError.self) { try await store.insert(array) }
            await #expect(throws: StoreError.self) { try await store.insert(Self.user("", "carol")) }
            await #expect(throws: StoreError.self) { try await store.insert(Self.user("u4", "")) }
            #expect(try await store.users(after: nil, limit: 10).isEmpty)
        }
    }

    @Test func pagesFollowUsernameOrder() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            for (index, name) in ["dave", "alice", "carol", "bob", "erin"].enumerated() {
                try await store.insert(Self.user("u\(index)", name))
            }
            let first = try await store.users(after: nil, limit: 2).map(\.username)
            #expect(first == ["alice", "bob"])
            let second = try await store.users(after: "bob", limit: 2).map(\.username)
            #expect(second == ["carol", "dave"])
            let last = try await store.users(after: "dave", limit: 2).map(\.username)
            #expect(last == ["erin"])
        }
    }

    @Test func modifyUpdateAndDeleteReportAMissingUser() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            try await store.insert(Self.user("u1", "alice"))
            let changed = try await store.modify(id: "u1") { $0.isActive = false }
            #expect(changed?.isActive == false)
            #expect(try await store.user(id: "u1")?.isActive == false)
            #expect(try await store.modify(id: "nobody") { $0.isActive = false } == nil)
            #expect(try await store.update(Self.user("nobody", "x")) == false)
            #expect(try await store.delete(id: "u1"))
            #expect(try await store.delete(id: "u1") == false)
            #expect(try await store.user(id: "u1") == nil)
        }
    }

    @Test func theDescriptionNeverShowsTheHash() {
        let user = Self.user("u1", "alice", hash: "argon2$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        #expect(!"\(user)".contains("argon2"))
    }
}
