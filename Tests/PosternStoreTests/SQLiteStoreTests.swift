import Foundation
import GRDB
import Logging
import PosternRPC
import PosternStore
import Testing

/// Opening a store the one way every daemon does, and a store failure becoming the status a
/// caller can act on — at the service's edge, through `storeCall`.
@Suite struct SQLiteStoreTests {
    static func migrator(upTo last: Int) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "item") { table in
                table.column("name", .text).notNull().unique()
                table.column("size", .integer).notNull().check { $0 >= 0 }
            }
        }
        if last >= 2 {
            migrator.registerMigration("v2") { db in try db.alter(table: "item") { $0.add(column: "note", .text) } }
        }
        return migrator
    }

    /// A fresh directory under /tmp, removed when `body` returns or throws.
    static func withDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
        let path = "/tmp/postern-store-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    @Test func aStoreOpensInWALModeMigratedAndANewerOneIsRefused() async throws {
        try await Self.withDirectory { dir in
            let path = "\(dir)/s.sqlite3"
            let pool = try SQLiteStore.open(path: path, what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 2))
            #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
            #expect(try pool.read { try Self.migrator(upTo: 2).appliedIdentifiers($0) } == ["v1", "v2"])
            try pool.close()
            let refused = #expect(throws: StartupError.self) {
                try SQLiteStore.open(path: path, what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 1))
            }
            #expect(refused?.message.contains("has a newer schema than this postern-test knows") == true, "\(String(describing: refused))")
        }
    }

    /// Password hashes are the owner's alone: the database and the WAL and shared-memory files
    /// SQLite makes beside it are 0600 under a loose umask, and an existing file that group or
    /// others could read loses those bits at open.
    @Test func theDatabaseAndItsCompanionsAreTheOwnersAloneWhateverTheUmask() async throws {
        try await Self.withDirectory { dir in
            let path = "\(dir)/s.sqlite3"
            let previous = umask(0o002)
            defer { umask(previous) }
            let pool = try SQLiteStore.open(path: path, what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 1))
            try await pool.write { try $0.execute(sql: "INSERT INTO item (name, size) VALUES ('a', 1)") }
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(try Self.mode(file) == 0o600, "\(file)")
            }
            try pool.close()
            for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                chmod(file, 0o644)
            }
            let again = try SQLiteStore.open(path: path, what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 1))
            #expect(try Self.mode(path) == 0o600, "an existing 0644 file is tightened")
            #expect(try await again.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM item") } == 1)
            try again.close()
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.sqlite3", withDestinationPath: path)
            let refused = #expect(throws: StartupError.self) {
                try SQLiteStore.open(path: "\(dir)/link.sqlite3", what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 1))
            }
            #expect(refused?.message.contains("is a symbolic link") == true, "\(String(describing: refused))")
        }
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o7777
    }

    @Test func storeFailuresBecomeTheStatusACallerCanActOn() async throws {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        try await Self.withDirectory { dir in
            let pool = try SQLiteStore.open(
                path: "\(dir)/s.sqlite3", what: "the test store", daemon: "postern-test", migrator: Self.migrator(upTo: 1))
            func insert(_ name: String, _ size: Int) async throws(RPCError) {
                try await storeCall(logger) { () throws(StoreError) in
                    do {
                        try pool.write { try $0.execute(sql: "INSERT INTO item (name, size) VALUES (?, ?)", arguments: [name, size]) }
                    } catch {
                        throw StoreError(error)
                    }
                }
            }
            try await insert("a", 1)
            await #expect(throws: RPCError(code: .alreadyExists, message: "the name is already taken")) { try await insert("a", 2) }
            let refused = await #expect(throws: RPCError.self) { try await insert("b", -1) }
            #expect(refused?.code == .invalidArgument)
            let down = await #expect(throws: RPCError.self) {
                try await storeCall(logger) { () throws(StoreError) in throw StoreError.unavailable("disk I/O error") }
            }
            #expect(down == RPCError(code: .unavailable, message: "the store is unavailable; try again"), "the reason stays in the log")
        }
    }
}
