import Foundation
import PasswordService
import Testing

/// The one store read an Authenticate call makes before it hashes.
@Suite struct LoginContextTests {
    @Test func oneReadFindsTheStageTheUserAndWhetherTheSessionHasLiveFailures() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.insert(PasswordStoreTests.user("u1", "alice"))
            try await store.insert(
                StoredStage(
                    name: "login", backends: "internal", failedAttemptsBeforeCancel: 5, allowShowPassword: false,
                    configurationFlow: "", createdAt: now, updatedAt: now))

            let byName = try store.loginContext(stage: "login", userID: nil, username: "alice", flowSession: "f", now: now)
            #expect(byName.stage?.name == "login" && byName.user?.id == "u1" && !byName.hasFailedAttempts)
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
}
