import Foundation
import GRDB
import PosternStore

/// The outbox of the history record path (docs/history.md): a password stored whose
/// postern-history entry is still pending leaves a row here, written in the same transaction as
/// the hash, so a crash between storing the password and confirming its history loses nothing.
extension PasswordStore {
    /// A stored password whose history entry still waits for its Confirm.
    public struct HistoryConfirmation: Sendable, Equatable {
        public var pendingID: String
        public var userID: String
        public var createdAt: Date
    }

    static func insertHistoryConfirmation(_ db: Database, pendingID: String, userID: String, now: Date) throws {
        try db.execute(
            sql: "INSERT INTO history_confirmation (pending_id, user_id, created_at) VALUES (?, ?, ?)",
            arguments: [pendingID, userID, now])
    }

    /// Every confirmation still owed, oldest first.
    public func historyConfirmations() async throws(StoreError) -> [HistoryConfirmation] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT pending_id, user_id, created_at FROM history_confirmation ORDER BY created_at")
                .map { HistoryConfirmation(pendingID: $0["pending_id"], userID: $0["user_id"], createdAt: $0["created_at"]) }
        }
    }

    /// The confirmation of `pendingID` is no longer owed.
    public func removeHistoryConfirmation(_ pendingID: String) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM history_confirmation WHERE pending_id = ?", arguments: [pendingID])
        }
    }
}
