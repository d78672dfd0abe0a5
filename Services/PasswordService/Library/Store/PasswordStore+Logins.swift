import Foundation
import GRDB
import PosternStore

/// What one Authenticate call needs from the store, read at once before any backend runs so a
/// login pays one trip to the store instead of four (docs/authenticate.md).
public struct LoginContext: Sendable {
    public var stage: StoredStage?
    public var user: LoginUser?
    /// Whether failures are counted (and not expired) for the flow session: only then does a
    /// success have a counter to reset.
    public var hasFailedAttempts: Bool
    /// The lookup index asked for (that of the secret, when it can be an app password).
    public var appPasswordIndex: String?
    /// The app password with that lookup index, if one has it.
    public var appPassword: LoginAppPassword?

    public init(
        stage: StoredStage?, user: LoginUser?, hasFailedAttempts: Bool, appPasswordIndex: String? = nil,
        appPassword: LoginAppPassword? = nil
    ) {
        self.stage = stage
        self.user = user
        self.hasFailedAttempts = hasFailedAttempts
        self.appPasswordIndex = appPasswordIndex
        self.appPassword = appPassword
    }
}

/// Logins: their context, and failed attempts counted per (stage, flow session).
extension PasswordStore {
    /// The stage named `stage`, the user with `userID` or else `username`, whether the flow
    /// session has live failed attempts, and the app password with `appPasswordIndex` if given.
    /// One statement on a plain read connection, on the calling thread (docs/storage.md): it
    /// costs the read itself, tens of microseconds, and sees one consistent state of the store.
    public func loginContext(
        stage: String, userID: String?, username: String?, flowSession: String, appPasswordIndex: String? = nil, now: Date
    ) throws(StoreError) -> LoginContext {
        let user: SQLiteArgument = if let userID { .text(userID) } else if let username { .text(username) } else { .null }
        let arguments: [SQLiteArgument] = [
            .text(stage), .text(flowSession), .date(now), user, appPasswordIndex.map { .text($0) } ?? .null,
        ]
        let sql = userID == nil ? Self.loginByUsername : Self.loginByID
        let context = try logins.withConnection { connection throws(StoreError) in
            try connection.firstRow(sql, arguments) { row throws(StoreError) in try Self.loginContext(row) }
        }
        // The statement reads from a one-row table, so it always returns a row.
        guard var context else { throw .unavailable("the login read returned no row") }
        context.appPasswordIndex = appPasswordIndex
        return context
    }

    private static let loginByID = loginSQL(userColumn: "id")
    private static let loginByUsername = loginSQL(userColumn: "username")

    /// Columns in the order `loginContext(_:)` reads them; every join may find nothing.
    private static func loginSQL(userColumn: String) -> String {
        """
        SELECT s.name, s.backends, s.failed_attempts_before_cancel, s.allow_show_password, s.configuration_flow,
               s.created_at, s.updated_at,
               u.id, u.username, u.is_active, u.type, u.password_hash,
               EXISTS (SELECT 1 FROM failed_attempt WHERE stage = ?1 AND flow_session = ?2 AND expires_at > ?3),
               a.id, a.user_id, a.lookup_index, a.expires_at, a.revoked_at
        FROM (SELECT 1)
        LEFT JOIN password_stage AS s ON s.name = ?1
        LEFT JOIN user AS u ON u.\(userColumn) = ?4
        LEFT JOIN app_password AS a ON a.lookup_index = ?5
        """
    }

    private static func loginContext(_ row: SQLiteRow) throws(StoreError) -> LoginContext {
        func date(_ column: Int32, of table: String) throws(StoreError) -> Date {
            guard let date = row.date(column) else { throw .unavailable("a \(table) row has no valid date in column \(column)") }
            return date
        }
        let stage: StoredStage? = row.isNull(0) ? nil : StoredStage(
            name: row.text(0), backends: row.text(1), failedAttemptsBeforeCancel: Int(row.integer(2)),
            allowShowPassword: row.bool(3), configurationFlow: row.text(4),
            createdAt: try date(5, of: "password_stage"), updatedAt: try date(6, of: "password_stage"))
        var user: LoginUser?
        if !row.isNull(7) {
            guard let type = UserType(rawValue: row.text(10)) else { throw .unavailable("a user row has an unknown type") }
            user = LoginUser(
                id: row.text(7), username: row.text(8), isActive: row.bool(9), type: type, passwordHash: row.text(11))
        }
        let appPassword: LoginAppPassword? = row.isNull(13) ? nil : LoginAppPassword(
            id: row.text(13), userID: row.text(14), lookupIndex: row.text(15), expiresAt: row.date(16), revokedAt: row.date(17))
        return LoginContext(stage: stage, user: user, hasFailedAttempts: row.bool(12), appPassword: appPassword)
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
