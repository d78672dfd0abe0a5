import Foundation
import GRDB
import PosternStore

/// What one Authenticate call needs from the store, read at once before any backend runs so a
/// login pays one trip to the store instead of four (docs/authenticate.md).
public struct LoginContext: Sendable {
    public var stage: StoredStage?
    public var user: StoredUser?
    /// Whether failures are counted (and not expired) for the flow session: only then does a
    /// success have a counter to reset.
    public var hasFailedAttempts: Bool
    /// The app password whose lookup index was asked for, if one has it.
    public var appPassword: StoredAppPassword?

    public init(stage: StoredStage?, user: StoredUser?, hasFailedAttempts: Bool, appPassword: StoredAppPassword? = nil) {
        self.stage = stage
        self.user = user
        self.hasFailedAttempts = hasFailedAttempts
        self.appPassword = appPassword
    }
}

/// Logins: their context, and failed attempts counted per (stage, flow session).
extension PasswordStore {
    /// The stage named `stage`, the user with `userID` or else `username`, whether the flow
    /// session has live failed attempts, and the app password with `appPasswordIndex` if given.
    /// On the calling thread, with statements prepared once per connection.
    public func loginContext(
        stage: String, userID: String?, username: String?, flowSession: String, appPasswordIndex: String? = nil, now: Date
    ) throws(StoreError) -> LoginContext {
        try readNow { db in
            let user: StoredUser? =
                if let userID {
                    try StoredUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM user WHERE id = ?"), arguments: [userID])
                } else if let username {
                    try StoredUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM user WHERE username = ?"), arguments: [username])
                } else { nil }
            let hasFailedAttempts = try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM failed_attempt WHERE stage = ? AND flow_session = ? AND expires_at > ?)"),
                arguments: [stage, flowSession, now]) ?? false
            let stage = try StoredStage.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM password_stage WHERE name = ?"), arguments: [stage])
            let appPassword = try appPasswordIndex.flatMap { index in
                try StoredAppPassword.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM app_password WHERE lookup_index = ?"), arguments: [index])
            }
            return LoginContext(stage: stage, user: user, hasFailedAttempts: hasFailedAttempts, appPassword: appPassword)
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
