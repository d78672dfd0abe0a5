import Foundation
@testable import HistoryService
import Testing

/// A check's prepared digest, recorded without hashing again (docs/history.md "Reservations"),
/// and the reservations that carry it from a Check to a Record.
@Suite struct HistoryReservationTests {
    static let pw = PasswordHistoryTests.pw

    @Test func aPreparedDigestRecordsWhatHashingThePasswordWould() throws {
        try PasswordHistoryTests.withHistory { history, _ in
            try history.setRetention(5)
            let first = try history.checkAndPrepare(Self.pw("first one"), for: "u1", count: 5)
            #expect(!first.reused && first.compared == 0)
            let prepared = try #require(first.prepared, "a user without history gets a digest too (their salt made)")
            #expect(try history.record(prepared: prepared, for: "u1")?.recorded == true)
            #expect(try history.check(Self.pw("first one"), for: "u1", count: 5) == (true, 1), "the stored digest is the password's")
            try history.record(Self.pw("second one"), for: "u1")
            let again = try history.checkAndPrepare(Self.pw("first one"), for: "u1", count: 5)
            #expect(again.reused && again.prepared == nil, "a reused password gets no digest to record")
            let third = try #require(try history.checkAndPrepare(Self.pw("third one"), for: "u1", count: 5).prepared)
            let pendingID = try #require(try history.recordPending(prepared: third, for: "u1", expiry: .seconds(60))?.id)
            #expect(try history.check(Self.pw("third one"), for: "u1", count: 5).reused == false, "pending counts for nothing")
            #expect(try history.confirm(pendingID) == .recorded(userID: "u1"))
            #expect(try history.check(Self.pw("third one"), for: "u1", count: 5) == (true, 3))
        }
    }

    @Test func aDigestMadeUnderAnotherSaltIsNotStored() throws {
        try PasswordHistoryTests.withHistory { history, _ in
            try history.setRetention(5)
            let prepared = try #require(try history.checkAndPrepare(Self.pw("before forget"), for: "u1", count: 5).prepared)
            try history.forget("u1")  // a new salt next time
            #expect(try history.record(prepared: prepared, for: "u1") == nil, "nothing written: hash the password instead")
            #expect(try history.recordPending(prepared: prepared, for: "u1", expiry: .seconds(60)) == nil)
            #expect(try history.stats().entries == 0 && history.stats().pending == 0)
        }
    }

    @Test func nothingIsPreparedWhileHistoryIsOffOrWhenNotAsked() throws {
        try PasswordHistoryTests.withHistory { history, _ in
            #expect(try history.checkAndPrepare(Self.pw("off"), for: "u1", count: 5).prepared == nil, "retention 0")
            try history.setRetention(2)
            #expect(try history.checkAndPrepare(Self.pw("on"), for: "u1", count: 5, prepare: false).prepared == nil)
        }
    }

    @Test func aReservationIsSingleUseAndBoundToItsUserAndPassword() throws {
        try PasswordHistoryTests.withHistory { history, _ in
            try history.setRetention(5)
            let prepared = try #require(try history.checkAndPrepare(Self.pw("reserved"), for: "u1", count: 5).prepared)
            let reservations = HistoryReservations(lifetime: .seconds(60))
            let token = reservations.reserve(prepared, userID: "u1", password: Self.pw("reserved"))
            #expect(token.utf8.count == 32)
            #expect(throws: HistoryReservations.Miss.otherPassword) {
                try reservations.take(token, userID: "u1", password: Self.pw("reserveD")).get()
            }
            #expect(throws: HistoryReservations.Miss.unknown, "taken out by the miss: no second guess") {
                try reservations.take(token, userID: "u1", password: Self.pw("reserved")).get()
            }
            let second = reservations.reserve(prepared, userID: "u1", password: Self.pw("reserved"))
            #expect(throws: HistoryReservations.Miss.otherUser) {
                try reservations.take(second, userID: "u2", password: Self.pw("reserved")).get()
            }
            let third = reservations.reserve(prepared, userID: "u1", password: Self.pw("reserved"))
            #expect(try reservations.take(third, userID: "u1", password: Self.pw("reserved")).get().digest == prepared.digest)
            #expect(reservations.count == 0)
        }
    }

    @Test func reservationsExpireAndTheOldestGoPastTheCapacity() throws {
        try PasswordHistoryTests.withHistory { history, _ in
            try history.setRetention(5)
            let prepared = try #require(try history.checkAndPrepare(Self.pw("x"), for: "u1", count: 5).prepared)
            let brief = HistoryReservations(lifetime: .milliseconds(20))
            let token = brief.reserve(prepared, userID: "u1", password: Self.pw("x"))
            Thread.sleep(forTimeInterval: 0.05)
            #expect(throws: HistoryReservations.Miss.expired) { try brief.take(token, userID: "u1", password: Self.pw("x")).get() }

            let small = HistoryReservations(lifetime: .seconds(60), capacity: 3)
            let tokens = (0..<4).map { _ in small.reserve(prepared, userID: "u1", password: Self.pw("x")) }
            #expect(small.count == 3, "bounded")
            #expect(throws: HistoryReservations.Miss.unknown, "the oldest went") {
                try small.take(tokens[0], userID: "u1", password: Self.pw("x")).get()
            }
            #expect(throws: Never.self) { try small.take(tokens[3], userID: "u1", password: Self.pw("x")).get() }
        }
    }
}
