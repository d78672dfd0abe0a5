import Foundation
import GRDB
import Logging
import PosternStore
import PosternRPC
import PosternWire

/// The password daemon's users, in one SQLite file under its state directory.
///
/// WAL mode (GRDB's `DatabasePool`: one writer, concurrent readers) with `synchronous = FULL`,
/// so a write is on disk before it is acknowledged and survives kill -9 and power loss
/// (docs/storage.md). Every method runs on GRDB's own queues, never on an event loop — except
/// `loginContext`, one indexed read on the calling thread through a plain connection
/// (docs/server.md says why).
public final class PasswordStore: Sendable {
    /// The file's name inside the state directory.
    public static let fileName = "password.sqlite3"

    public let path: String
    private let pool: DatabasePool
    /// Plain connections for the login read, which GRDB's pool makes several times slower.
    let logins: SQLiteReadConnections

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// Refuses a file a newer Postern has migrated past this one's schema.
    public init(path: String) throws(StartupError) {
        self.path = path
        pool = try SQLiteStore.open(
            path: path, what: "the user store", daemon: "postern-password", migrator: PasswordStoreSchema.migrator)
        logins = SQLiteReadConnections(path: path)
    }

    /// Opens the store in `directory` (which must exist).
    public convenience init(directory: String) throws(StartupError) {
        try self.init(path: directory + "/" + Self.fileName)
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try PasswordStoreSchema.migrator.appliedMigrations($0) }
    }

    /// The journal mode SQLite reports (`wal`).
    public func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The writer's `PRAGMA synchronous`: 2 (FULL), every commit synced before it returns.
    public func writerSynchronous() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    // MARK: Users

    public func insert(_ user: StoredUser) async throws(StoreError) {
        try await write { db in try user.insert(db) }
    }

    public func user(id: String) async throws(StoreError) -> StoredUser? {
        try await read { db in try StoredUser.fetchOne(db, key: id) }
    }

    public func user(username: String) async throws(StoreError) -> StoredUser? {
        try await read { db in
            try StoredUser.filter(Column("username") == username).fetchOne(db)
        }
    }

    /// Up to `limit` users ordered by username, starting after `afterUsername` (a page token).
    public func users(after afterUsername: String?, limit: Int) async throws(StoreError) -> [StoredUser] {
        try await read { db in
            var request = StoredUser.order(Column("username"))
            if let afterUsername { request = request.filter(Column("username") > afterUsername) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// Replaces the row with `user.id`; false when there is none.
    @discardableResult
    public func update(_ user: StoredUser) async throws(StoreError) -> Bool {
        try await write { db in
            do {
                try user.update(db)
                return true
            } catch RecordError.recordNotFound {
                return false
            }
        }
    }

    /// Deletes the user; false when there was none.
    @discardableResult
    public func delete(id: String) async throws(StoreError) -> Bool {
        try await write { db in try StoredUser.deleteOne(db, key: id) }
    }

    /// Reads `id` and writes what `change` makes of it, in one transaction, so no other write
    /// comes between. Returns the new row, or nil when there is no such user. A
    /// `historyConfirmation` (a pending postern-history id) is stored in the same transaction.
    public func modify(
        id: String, historyConfirmation: String? = nil, _ change: @escaping @Sendable (inout StoredUser) throws -> Void
    ) async throws(StoreError) -> StoredUser? {
        try await write { db in
            guard var user = try StoredUser.fetchOne(db, key: id) else { return nil }
            try change(&user)
            try user.update(db)
            if let historyConfirmation {
                try Self.insertHistoryConfirmation(db, pendingID: historyConfirmation, userID: id, now: user.updatedAt)
            }
            return user
        }
    }

    /// Inserts every user in one transaction, or none: the rows (by index) whose id or
    /// username is already taken come back, and then nothing is stored.
    public func insertAll(_ users: [StoredUser]) async throws(StoreError) -> [(index: Int, column: String)] {
        try await write { db in
            var conflicts: [(index: Int, column: String)] = []
            for (index, user) in users.enumerated() {
                if try StoredUser.exists(db, key: user.id) {
                    conflicts.append((index, "id"))
                } else if try StoredUser.filter(Column("username") == user.username).fetchCount(db) > 0 {
                    conflicts.append((index, "username"))
                }
            }
            guard conflicts.isEmpty else { return conflicts }
            for user in users { try user.insert(db) }
            return []
        }
    }

    /// Replaces `id`'s password hash only if it still is `expected` (compare-and-set), so a
    /// change made meanwhile by another call is never overwritten. `changedAt` updates
    /// `password_changed_at` too (a password change); nil leaves it (a re-hash of the same
    /// password). Returns the new row; nil when the user is gone or the hash moved on. A
    /// `historyConfirmation` (a pending postern-history id) is stored in the same transaction.
    public func replacePasswordHash(
        id: String, expected: String, with newHash: String, changedAt: Date?, now: Date, historyConfirmation: String? = nil
    ) async throws(StoreError) -> StoredUser? {
        try await write { db in
            guard var user = try StoredUser.fetchOne(db, key: id), user.passwordHash == expected else { return nil }
            user.passwordHash = newHash
            // A change (not a silent rehash) is the change a must-change mark asked for.
            if let changedAt {
                user.passwordChangedAt = changedAt
                user.passwordMustChange = false
            }
            user.updatedAt = now
            try user.update(db)
            if let historyConfirmation {
                try Self.insertHistoryConfirmation(db, pendingID: historyConfirmation, userID: id, now: now)
            }
            return user
        }
    }

    // MARK: Password stages

    public func insert(_ stage: StoredStage) async throws(StoreError) {
        try await write { db in try stage.insert(db) }
    }

    public func stage(named name: String) async throws(StoreError) -> StoredStage? {
        try await read { db in try StoredStage.fetchOne(db, key: name) }
    }

    public func stages() async throws(StoreError) -> [StoredStage] {
        try await read { db in try StoredStage.order(Column("name")).fetchAll(db) }
    }

    /// Replaces the stage of that name, keeping its creation time; nil when there is none.
    public func replace(_ stage: StoredStage) async throws(StoreError) -> StoredStage? {
        try await write { db in
            guard let existing = try StoredStage.fetchOne(db, key: stage.name) else { return nil }
            var updated = stage
            updated.createdAt = existing.createdAt
            try updated.update(db)
            return updated
        }
    }

    @discardableResult
    public func deleteStage(named name: String) async throws(StoreError) -> Bool {
        try await write { db in try StoredStage.deleteOne(db, key: name) }
    }

    // MARK: Access

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError(error)
        }
    }

    /// Runs `body` in one write transaction; with `rollBack` its answer is returned and the
    /// transaction rolled back (a blueprint's dry run). An `RPCError` `body` throws is answered
    /// as it is, anything else as the store's failure.
    func transaction<T: Sendable>(
        rollBack: Bool, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(RPCError) -> T {
        do {
            return try await pool.write { db in
                let answer = try body(db)
                if rollBack { throw RolledBackTransaction(answer: answer) }
                return answer
            }
        } catch let rolled as RolledBackTransaction<T> {
            return rolled.answer
        } catch let refusal as RPCError {
            throw refusal
        } catch {
            throw RPCError(code: .unavailable, message: "the user store failed: \(StoreError(error))", cause: error)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError(error)
        }
    }
}

/// How `PasswordStore.transaction(rollBack: true)` leaves the transaction with its answer.
private struct RolledBackTransaction<T: Sendable>: Error {
    let answer: T
}
