import Foundation
import GRDB
import PosternStore
import PosternRPC
import PosternWire

/// postern-history's database: one SQLite file under its state directory, opened as every
/// Postern store is (`SQLiteStore`: WAL, synchronous = FULL, migrations).
public final class HistoryStore: Sendable {
    /// The file's name inside the state directory.
    public static let fileName = "history.sqlite3"
    static let pepperCheckSetting = "pepper_check"

    public let path: String
    let pool: DatabasePool

    public init(path: String) throws(StartupError) {
        self.path = path
        pool = try SQLiteStore.open(path: path, what: "the history store", daemon: "postern-history", migrator: HistoryStoreSchema.migrator)
    }

    public convenience init(directory: String) throws(StartupError) {
        try self.init(path: directory + "/" + Self.fileName)
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try HistoryStoreSchema.migrator.appliedMigrations($0) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StoreError(error)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw StoreError(error)
        }
    }

    /// The check value of the pepper the history was written with; nil before the first start.
    public func pepperCheck() throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM history_setting WHERE key = ?", arguments: [Self.pepperCheckSetting])
        }
    }

    public func setPepperCheck(_ check: String) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO history_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [Self.pepperCheckSetting, check])
        }
    }

    /// Entries (pending ones too) made with a pepper whose check value is none of `checks`.
    public func entryCount(otherThanPeppers checks: Set<String>) throws(StoreError) -> Int {
        try read { db in
            let kinds = try Row.fetchAll(db, sql: "SELECT id, pepper_check FROM entry_kind")
                .filter { !checks.contains($0["pepper_check"] as String) }
                .map { $0["id"] as Int64 }
            guard !kinds.isEmpty else { return 0 }
            let list = kinds.map(String.init).joined(separator: ",")
            return try (Int.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE kind IN (\(list))") ?? 0)
                + (Int.fetchOne(db, sql: "SELECT count(*) FROM pending WHERE kind IN (\(list))") ?? 0)
        }
    }
}
