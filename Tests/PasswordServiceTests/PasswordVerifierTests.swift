import Foundation
import Logging
import PasswordService
import PosternDaemon
import PosternHashing
import Testing

/// A login on an outdated hash upgrades it, on a real store: authentik's check_password.
@Suite struct PasswordVerifierTests {
    static let then = Date(timeIntervalSince1970: 1_600_000_000)

    func withVerifier(_ body: (PasswordVerifier, PasswordStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let pool = HashingPool(threads: 1, queueLimit: 8)
            defer { pool.stop() }
            try await body(PasswordVerifier(store: store, hashing: PasswordHashing(), pool: pool, logger: Logger(label: "test")), store)
        }
    }

    @Test func aMatchOnADjangoHashStoresAnArgon2idHashAndKeepsTheChangeDate() async throws {
        let vector = try #require(try IndependentHashVector.all.get().first { $0.family == "pbkdf2_sha256" })
        try await withVerifier { verifier, store in
            try await store.insert(StoredUser(
                id: "u1", username: "alice", passwordHash: vector.encoded, passwordChangedAt: Self.then,
                createdAt: Self.then, updatedAt: Self.then))
            let before = try #require(try await store.user(id: "u1"))
            let kept = try await verifier.verify(Array(vector.password.utf8), for: before)
            let after = try #require(try await store.user(id: "u1"))
            #expect(kept == after.passwordHash)
            #expect(after.passwordHash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
            #expect(after.passwordChangedAt == Self.then, "an upgrade is not a password change")
            #expect(PasswordHashing().verify(Array(vector.password.utf8), against: after.passwordHash) == .match(needsRehash: false))
            // The next login finds the current hash and leaves it.
            #expect(try await verifier.verify(Array(vector.password.utf8), for: after) == after.passwordHash)
            #expect(try await store.user(id: "u1")?.passwordHash == after.passwordHash)
        }
    }

    @Test func wrongPasswordsInactiveAndUnknownUsersAreRefusedAndChangeNothing() async throws {
        let vector = try #require(try IndependentHashVector.all.get().first { $0.family == "pbkdf2_sha1" })
        try await withVerifier { verifier, store in
            try await store.insert(StoredUser(id: "u1", username: "alice", passwordHash: vector.encoded, createdAt: Self.then, updatedAt: Self.then))
            let alice = try #require(try await store.user(id: "u1"))
            #expect(try await verifier.verify(Array("wrong".utf8), for: alice) == nil)
            #expect(try await verifier.verify(Array(vector.password.utf8), for: nil) == nil)
            var inactive = alice
            inactive.isActive = false
            #expect(try await verifier.verify(Array(vector.password.utf8), for: inactive) == nil)
            #expect(try await store.user(id: "u1")?.passwordHash == vector.encoded)
        }
    }
}
