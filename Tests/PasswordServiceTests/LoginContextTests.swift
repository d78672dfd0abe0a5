import Foundation
import GRDB
import PasswordService
import PosternStore
import Testing

/// The one store read an Authenticate call makes before it hashes.
@Suite struct LoginContextTests {
    @Test func oneReadFindsTheStageTheUserAndWhetherTheSessionHasLiveFailures() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.insert(PasswordStoreTests.user("u1", "alice"))
            try await store.insert(PasswordStoreTests.stage("login"))

            let byName = try store.loginContext(stage: "login", userID: nil, username: "alice", flowSession: "f", now: now)
            #expect(byName.stage == LoginStage(name: "login", backends: "internal", failedAttemptsBeforeCancel: 5))
            #expect(byName.user?.id == "u1" && !byName.hasFailedAttempts)
            let byID = try store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now)
            #expect(byID.user?.username == "alice")
            let unknown = try store.loginContext(stage: "nope", userID: nil, username: "Alice", flowSession: "f", now: now)
            #expect(unknown.stage == nil && unknown.user == nil, "usernames are case-sensitive; no such stage")

            _ = try await store.recordFailedAttempt(stage: "login", flowSession: "f", limit: 5, expiry: 3600, now: now)
            #expect(try store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now).hasFailedAttempts)
            #expect(try !store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "g", now: now).hasFailedAttempts,
                    "another flow session has its own counter")
            #expect(try !store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f",
                                                  now: now.addingTimeInterval(3600)).hasFailedAttempts,
                    "an expired counter is no counter")
            try await store.clearFailedAttempts(stage: "login", flowSession: "f")
            #expect(try !store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now).hasFailedAttempts)
        }
    }

    /// The login read decodes rows itself, by column index: every field it reads must come back
    /// as GRDB's own records read it, set or not.
    @Test func theLoginReadReturnsTheRecordsGRDBReads() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let created = Date(timeIntervalSince1970: 1_700_000_000.125)
            let full = StoredUser(
                id: "u-full", username: "zoë", name: "Zoë Q", isActive: false, type: .serviceAccount,
                attributes: #"{"team":"ops"}"#, passwordHash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
                passwordChangedAt: Date(timeIntervalSince1970: 1_700_000_100.999), ldapDN: "uid=zoe,dc=example",
                kerberosPrincipal: "zoe@EXAMPLE", createdAt: created, updatedAt: created.addingTimeInterval(0.5))
            let bare = PasswordStoreTests.user("u-bare", "bob")
            try await store.insert(full)
            try await store.insert(bare)
            try await store.insert(
                StoredStage(
                    name: "programs", backends: "app_password,internal", failedAttemptsBeforeCancel: 7, allowShowPassword: true,
                    configurationFlow: "change", createdAt: created, updatedAt: created.addingTimeInterval(1)))
            let live = StoredAppPassword(
                id: "ap-1", userID: "u-full", description: "ci", lookupIndex: "index-1", nonce: Data([0, 1, 2, 255]),
                sealed: Data(repeating: 7, count: 48), createdAt: created, expiresAt: nil)
            let revoked = StoredAppPassword(
                id: "ap-2", userID: "u-bare", description: "", lookupIndex: "index-2", nonce: Data([9]),
                sealed: Data([1, 2, 3]), createdAt: created, expiresAt: created.addingTimeInterval(86_400))
            try await store.insert(live, keyCheck: "check")
            try await store.insert(revoked, keyCheck: "check")
            _ = try await store.revokeAppPassword(id: "ap-2", at: created.addingTimeInterval(60.25))

            let first = try store.loginContext(
                stage: "programs", userID: "u-full", username: nil, flowSession: "f", appPasswordIndex: "index-1", now: created)
            #expect(first.stage == (try await store.stage(named: "programs")).map(LoginStage.init))
            #expect(first.user == (try await store.user(id: "u-full")).map(LoginUser.init))
            #expect(first.appPassword == (try await store.appPassword(id: "ap-1")).map(LoginAppPassword.init))
            let second = try store.loginContext(
                stage: "programs", userID: nil, username: "bob", flowSession: "f", appPasswordIndex: "index-2", now: created)
            #expect(second.user == (try await store.user(id: "u-bare")).map(LoginUser.init))
            #expect(second.appPassword == (try await store.appPassword(id: "ap-2")).map(LoginAppPassword.init))
            #expect(second.appPassword?.revokedAt != nil && second.appPassword?.expiresAt != nil)
            let none = try store.loginContext(
                stage: "programs", userID: nil, username: nil, flowSession: "f", appPasswordIndex: "index-3", now: created)
            #expect(none.user == nil && none.appPassword == nil && none.stage != nil)

            // A damaged expiry fails the read rather than reading as "never expires".
            let queue = try DatabaseQueue(path: store.path)
            try await queue.write { try $0.execute(sql: "UPDATE app_password SET expires_at = 'soon' WHERE id = 'ap-1'") }
            try queue.close()
            #expect(throws: StoreError.self) {
                try store.loginContext(
                    stage: "programs", userID: "u-full", username: nil, flowSession: "f", appPasswordIndex: "index-1", now: created)
            }
        }
    }
}
