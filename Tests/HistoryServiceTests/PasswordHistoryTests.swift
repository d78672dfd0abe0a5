import Foundation
import GRDB
@testable import HistoryService
import PosternCrypto
import Testing

/// Recording and checking on a real SQLite file, with the daemon's Argon2id parameters made
/// cheap (the cost per check is the benchmark's business, not these tests').
@Suite struct PasswordHistoryTests {
    static let cheap = Argon2.Parameters(variant: .id, memoryKiB: 64, iterations: 1, parallelism: 1)

    static func withHistory(_ body: (PasswordHistory, HistoryStore) throws -> Void) throws {
        try HistoryStoreTests.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            let pepper = HistoryPepper(secret: Array(repeating: 9, count: 32))
            try body(PasswordHistory(store: store, pepper: pepper, parameters: cheap), store)
        }
    }

    static func pw(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func offUntilARetentionIsSetThenTheLastNIncludingTheCurrentOne() throws {
        try Self.withHistory { history, _ in
            #expect(try !history.record(Self.pw("one"), for: "u1").recorded, "history is off: nothing recorded")
            #expect(try history.check(Self.pw("one"), for: "u1", count: 5).reused == false)
            try history.setRetention(3)
            for password in ["one", "two", "three"] { #expect(try history.record(Self.pw(password), for: "u1").recorded) }
            #expect(try history.check(Self.pw("three"), for: "u1", count: 1) == (true, 1), "N=1 refuses the current password")
            #expect(try history.check(Self.pw("one"), for: "u1", count: 3) == (true, 3))
            #expect(try history.check(Self.pw("one"), for: "u1", count: 2) == (false, 2), "older than the last 2")
            try history.record(Self.pw("four"), for: "u1")
            #expect(try history.check(Self.pw("one"), for: "u1", count: 3).reused == false, "aged out after 3 newer ones")
            #expect(try history.check(Self.pw("one"), for: "u1", count: 100) == (false, 3), "only 3 are kept")
            #expect(try history.check(Self.pw("four"), for: "u2", count: 3) == (false, 0), "another user's history is theirs")
        }
    }

    @Test func shrinkingTrimsAtOnceAndZeroPurges() throws {
        try Self.withHistory { history, store in
            try history.setRetention(5)
            for index in 0..<5 {
                try history.record(Self.pw("p\(index)"), for: "u1")
                try history.record(Self.pw("p\(index)"), for: "u2")
            }
            #expect(try history.setRetention(2) == 6, "3 of 5 removed for each of 2 users")
            #expect(try history.check(Self.pw("p2"), for: "u1", count: 5).reused == false)
            #expect(try history.check(Self.pw("p4"), for: "u1", count: 5) == (true, 2))
            #expect(try history.forget("u2") == 2)
            #expect(try history.check(Self.pw("p4"), for: "u2", count: 5) == (false, 0))
            #expect(try history.setRetention(0) == 2)
            let left = try store.read { db in
                try (Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? -1,
                     Int.fetchOne(db, sql: "SELECT count(*) FROM history_user") ?? -1)
            }
            #expect(left == (0, 0), "purged: no entries, no salts")
        }
    }

    @Test func onePasswordGivesUnrelatedDigestsForTwoUsersAndNothingReadable() throws {
        try Self.withHistory { history, store in
            try history.setRetention(3)
            try history.record(Self.pw("shared password"), for: "u1")
            try history.record(Self.pw("shared password"), for: "u2")
            let digests = try store.read { db in try Data.fetchAll(db, sql: "SELECT digest FROM entry") }
            #expect(digests.count == 2 && digests[0] != digests[1] && digests.allSatisfy { $0.count == 32 })
            let dump = try store.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM entry").map(\.description).joined()
                    + Row.fetchAll(db, sql: "SELECT * FROM history_user").map(\.description).joined()
            }
            #expect(!dump.contains("shared password"))
        }
    }

    @Test func entriesOfOtherParametersAreCheckedWithTheirOwn() throws {
        try HistoryStoreTests.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            let pepper = HistoryPepper(secret: Array(repeating: 9, count: 32))
            let old = PasswordHistory(store: store, pepper: pepper, parameters: Self.cheap)
            try old.setRetention(4)
            try old.record(Self.pw("made under the old parameters"), for: "u1")
            let new = PasswordHistory(
                store: store, pepper: pepper, parameters: Argon2.Parameters(variant: .id, memoryKiB: 128, iterations: 2, parallelism: 1))
            try new.record(Self.pw("made under the new ones"), for: "u1")
            #expect(try new.check(Self.pw("made under the old parameters"), for: "u1", count: 4) == (true, 2))
            #expect(try new.check(Self.pw("made under the new ones"), for: "u1", count: 4) == (true, 2))
            #expect(try new.check(Self.pw("neither"), for: "u1", count: 4) == (false, 2))
            #expect(PasswordHistory.parameters("argon2id$m=19456,t=2,p=1") == PasswordHistory.defaultParameters)
            #expect(PasswordHistory.parameters("argon2id$m=1,t=2") == nil && PasswordHistory.parameters("md5$x") == nil)
        }
    }

    /// Rotation: entries under a retired pepper still match; new ones use the current pepper;
    /// one Argon2id serves both.
    @Test func entriesOfARetiredPepperAreStillChecked() throws {
        try HistoryStoreTests.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            let old = HistoryPepper(secret: Array(repeating: 1, count: 32))
            let new = HistoryPepper(secret: Array(repeating: 2, count: 32))
            let before = PasswordHistory(store: store, pepper: old, parameters: Self.cheap)
            try before.setRetention(5)
            try before.record(Self.pw("under the old pepper"), for: "u1")
            let after = PasswordHistory(store: store, peppers: HistoryPeppers(current: new, retired: [old]), parameters: Self.cheap)
            try after.record(Self.pw("under the new pepper"), for: "u1")
            #expect(try after.check(Self.pw("under the old pepper"), for: "u1", count: 5) == (true, 2))
            #expect(try after.check(Self.pw("under the new pepper"), for: "u1", count: 5) == (true, 2))
            let stats = try after.stats()
            #expect(stats.entries == 2 && stats.entriesOtherPepper == 1)
            let withoutOld = PasswordHistory(store: store, pepper: new, parameters: Self.cheap)
            #expect(try withoutOld.check(Self.pw("under the old pepper"), for: "u1", count: 5) == (false, 2))
        }
    }
}
