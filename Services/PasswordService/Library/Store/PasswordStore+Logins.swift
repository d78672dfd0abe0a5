import Foundation
import GRDB

/// What one Authenticate call needs from the store before it hashes, read in one transaction
/// so a login pays one trip to the store's reader instead of three.
public struct LoginContext: Sendable {
    public var stage: StoredStage?
    public var user: StoredUser?
    /// Whether failures are counted (and not expired) for the flow session: only then does a
    /// success have a counter to reset.
    public var hasFailedAttempts: Bool
}

/// Logins: their context, and failed attempts counted per (stage, flow session).
extension PasswordStore {
    /// The stage named `stage`, the user with `userID` or else `username`, and whether the
    /// flow session has live failed attempts.
    public func loginContext(
        stage: String, userID: String?, username: String?, flowSession: String, now: Date
    ) throws(StoreError) -> LoginContext {
        try readNow { db in
            let user: StoredUser? =
                if let userID { try StoredUser.fetchOne(db, key: userID) }
                else if let username { try StoredUser.filter(Column("username") == username).fetchOne(db) }
                else { nil }
            let hasFailedAttempts = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM failed_attempt WHERE stage = ? AND flow_session = ? AND expires_at > ?)",
                arguments: [stage, flowSession, now]) ?? false
            return LoginContext(stage: try StoredStage.fetchOne(db, key: stage), user: user, hasFailedAttempts: hasFailedAttempts)
        }
    }

    /// Counts one more failure for (stage, flow session) and returns the count. At `limit`
    /// the counter is removed (the flow is cancelled; a new one starts from zero). A counter
    /// not touched for `expiry` starts again from zero; expired counters are purged here.
    public func recordFailedAttempt(
        stage: String, flowSession: String, limit: Int, expiry: TimeInterval, now: Date
    ) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM failed_attempt WHERE expires_at <= ?", arguments: [now])
            let previous = try Int.fetchOne(
                db, sql: "SELECT count FROM failed_attempt WHERE stage = ? AND flow_session = ?",
                arguments: [stage, flowSession]) ?? 0
            let count = previous + 1
            if count >= limit {
                try db.execute(
                    sql: "DELETE FROM failed_attempt WHERE stage = ? AND flow_session = ?", arguments: [stage, flowSession])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO failed_attempt (stage, flow_session, count, expires_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (stage, flow_session) DO UPDATE SET count = excluded.count, expires_at = excluded.expires_at
                        """,
                    arguments: [stage, flowSession, count, now.addingTimeInterval(expiry)])
            }
            return count
        }
    }

    /// Forgets the failures of (stage, flow session): a success resets the counter.
    public func clearFailedAttempts(stage: String, flowSession: String) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM failed_attempt WHERE stage = ? AND flow_session = ?", arguments: [stage, flowSession])
        }
    }
}
