import Foundation
import GRDB
import PosternStore

/// What one Authenticate call needs from the store, read at once before any backend runs so a
/// login pays one trip to the store instead of four (docs/authenticate.md).
public struct LoginContext: Sendable {
    public var stage: LoginStage?
    public var user: LoginUser?
    /// Whether failures are counted (and not expired) for the flow session: only then does a
    /// success have a counter to reset.
    public var hasFailedAttempts: Bool
    /// The lookup index asked for (that of the secret, when it can be an app password).
    public var appPasswordIndex: String?
    /// The app password with that lookup index, if one has it.
    public var appPassword: LoginAppPassword?

    public init(
        stage: LoginStage?, user: LoginUser?, hasFailedAttempts: Bool, appPasswordIndex: String? = nil,
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
        let query = userID == nil ? Self.loginByUsername : Self.loginByID
        let context = try logins.withConnection { connection throws(StoreError) in
            try connection.firstRow(query, arguments) { row throws(StoreError) in try Self.loginContext(row) }
        }
        // The statement reads from a one-row table, so it always returns a row.
        guard var context else { throw .unavailable("the login read returned no row") }
        context.appPasswordIndex = appPasswordIndex
        return context
    }

    private static let loginByID = loginSQL(userColumn: "id")
    private static let loginByUsername = loginSQL(userColumn: "username")

    /// Columns in the order `loginContext(_:)` reads them; every join may find nothing.
    private static func loginSQL(userColumn: String) -> SQLiteQuery {
        SQLiteQuery("""
        SELECT s.name, s.backends, s.failed_attempts_before_cancel,
               u.id, u.username, u.is_active, u.type, u.password_hash,
               EXISTS (SELECT 1 FROM failed_attempt WHERE stage = ?1 AND flow_session = ?2 AND expires_at > ?3),
               a.id, a.user_id, a.lookup_index, a.expires_at, a.revoked_at,
               u.password_must_change, u.ldap_dn, u.kerberos_principal
        FROM (SELECT 1)
        LEFT JOIN password_stage AS s ON s.name = ?1
        LEFT JOIN user AS u ON u.\(userColumn) = ?4
        LEFT JOIN app_password AS a ON a.lookup_index = ?5
        """)
    }

    private static func loginContext(_ row: SQLiteRow) throws(StoreError) -> LoginContext {
        let stage: LoginStage? = row.isNull(0) ? nil : LoginStage(
            name: row.text(0), backends: row.text(1), failedAttemptsBeforeCancel: Int(row.integer(2)))
        var user: LoginUser?
        if !row.isNull(3) {
            guard let type = UserType(rawValue: row.text(6)) else { throw .unavailable("a user row has an unknown type") }
            user = LoginUser(
                id: row.text(3), username: row.text(4), isActive: row.bool(5), type: type, passwordHash: row.text(7),
                passwordMustChange: row.bool(14), ldapDN: row.isNull(15) ? nil : row.text(15),
                kerberosPrincipal: row.isNull(16) ? nil : row.text(16))
        }
        // A time that is there but not a date fails the read: read as none, it would make an
        // expired or revoked app password live.
        func optionalDate(_ column: Int32) throws(StoreError) -> Date? {
            if row.isNull(column) { return nil }
            guard let date = row.date(column) else { throw .unavailable("an app_password row has no valid date in column \(column)") }
            return date
        }
        let appPassword: LoginAppPassword? = row.isNull(9) ? nil : LoginAppPassword(
            id: row.text(9), userID: row.text(10), lookupIndex: row.text(11), expiresAt: try optionalDate(12),
            revokedAt: try optionalDate(13))
        return LoginContext(stage: stage, user: user, hasFailedAttempts: row.bool(8), appPassword: appPassword)
    }

    /// Counts one more failure for (stage, flow session) and returns the count. At `limit`
    /// the counter is removed (the flow is cancelled; a new one starts from zero). A counter
    /// not touched for `expiry` starts again from zero; expired counters are purged here.
    public func recordFailedAttempt(
        stage: String, flowSession: String, count added: Int = 1, limit: Int, expiry: TimeInterval, now: Date
    ) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM failed_attempt WHERE expires_at <= ?", arguments: [now])
            let previous = try Int.fetchOne(
                db, sql: "SELECT count FROM failed_attempt WHERE stage = ? AND flow_session = ?",
                arguments: [stage, flowSession]) ?? 0
            let count = previous + added
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
