import Foundation
import GRDB
import NIOPosix
@testable import PasswordService
import PosternRPC
import PosternStore
import PosternWire
import Testing

/// The login read ends its read transaction after the answer (docs/storage.md): on an event
/// loop, once the loop's current work is done; and a connection borrowed before that ends it
/// first, so its read sees what was written meanwhile.
@Suite struct LoginReadEndTests {
    @Test func onAnEventLoopTheReadStaysOpenOnlyUntilTheLoopsNextTask() async throws {
        AfterTheAnswer.install(AfterTheAnswer.onTheEventLoop)  // as RPCServer does
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.insert(PasswordStoreTests.user("u1", "alice"))
            try await store.insert(PasswordStoreTests.stage("login"))
            let writer = try DatabaseQueue(path: store.path)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()

            let seen = try await loop.submit { () throws -> (open: Int, before: Bool, after: Bool, openAfter: Int) in
                let before = try store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now)
                let open = store.logins.idleConnectionsReading
                // A write while the read is still open, then a read on the same (borrowed) connection.
                try writer.write { db in
                    try db.execute(
                        sql: "INSERT INTO failed_attempt (stage, flow_session, count, expires_at) VALUES ('login', 'f', 1, ?)",
                        arguments: [now.addingTimeInterval(3600)])
                }
                let after = try store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now)
                return (open, before.hasFailedAttempts, after.hasFailedAttempts, store.logins.idleConnectionsReading)
            }.get()
            #expect(seen.open == 1, "the read is still open right after it")
            #expect(!seen.before && seen.after, "the second read saw the write made between the two")
            #expect(seen.openAfter == 1)
            try await loop.submit {}.get()
            #expect(store.logins.idleConnectionsReading == 0, "the loop's next task ended the read")

            // Off an event loop the read ends at once.
            _ = try store.loginContext(stage: "login", userID: "u1", username: nil, flowSession: "f", now: now)
            #expect(store.logins.idleConnectionsReading == 0)
            try await group.shutdownGracefully()
        }
    }
}
