import Foundation
import GRDB
@testable import HistoryService
import PosternWire
import Testing

/// postern-history's store and pepper, on real SQLite files and key files.
@Suite struct HistoryStoreTests {
    static func withDirectory<R>(_ body: (String) throws -> R) throws -> R {
        let dir = NSTemporaryDirectory() + "postern-history-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try body(dir)
    }

    static func withDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
        let dir = NSTemporaryDirectory() + "postern-history-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try await body(dir)
    }

    static func pepperFile(_ dir: String, _ name: String, _ byte: UInt8) throws -> String {
        let path = "\(dir)/\(name)"
        try (Data(repeating: byte, count: 32).base64EncodedString() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aNewStoreHasItsSchema() throws {
        try Self.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            #expect(try store.appliedMigrations() == ["v1-history", "v2-pending"])
            #expect(FileManager.default.fileExists(atPath: "\(dir)/history.sqlite3"))
        }
    }

    /// Two daemons started at once on a fresh state directory both migrate it; the one that
    /// loses the race must find the schema made, not fail on "table already exists".
    @Test func storesOpenedAtOnceOnAFreshFileAllStart() async throws {
        for _ in 0..<10 {
            try await Self.withDirectory { dir in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 {
                        group.addTask { try HistoryStore(directory: dir).appliedMigrations() }
                    }
                    for try await applied in group { #expect(applied == ["v1-history", "v2-pending"]) }
                }
            }
        }
    }

    @Test func withoutAPepperOrWithAnotherOneOverEntriesTheDaemonDoesNotStart() throws {
        try Self.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            #expect { try HistoryPepper.load(path: "\(dir)/missing", store: store) } throws: { error in
                (error as? StartupError)?.message.contains("head -c 32 /dev/urandom | base64") == true
            }
            let first = try HistoryPepper.load(path: Self.pepperFile(dir, "first", 1), store: store)
            #expect(try store.pepperCheck() == first.check)
            // No entries yet: another pepper takes its place.
            let second = try HistoryPepper.load(path: Self.pepperFile(dir, "second", 2), store: store)
            #expect(try store.pepperCheck() == second.check && first.check != second.check)

            try store.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO history_entry (user_id, digest, parameters, pepper_check, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: ["u1", Data([1, 2, 3]), "m=19456,t=2,p=1", second.check, Date()])
            }
            let firstPath = try Self.pepperFile(dir, "first", 1)
            #expect { try HistoryPepper.load(path: firstPath, store: store) } throws: { error in
                (error as? StartupError)?.message.contains("is not the one the 1 stored history entries") == true
            }
            #expect(try store.pepperCheck() == second.check, "a refused pepper changes nothing")
            #expect(try HistoryPepper.load(path: Self.pepperFile(dir, "again", 2), store: store).check == second.check)
            try "short\n".write(toFile: "\(dir)/bad", atomically: true, encoding: .utf8)
            #expect(throws: StartupError.self) { try HistoryPepper.load(path: "\(dir)/bad", store: store) }
        }
    }
}
