import Foundation
import GRDB
@testable import HistoryService
import PosternCrypto
import PosternRPC
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
        _ = FileManager.default.createFile(
            atPath: path, contents: Data((Data(repeating: byte, count: 32).base64EncodedString() + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        return path
    }

    @Test func aNewStoreHasItsSchema() throws {
        try Self.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            #expect(try store.appliedMigrations() == ["v1-history", "v2-pending", "v3-compact", "v4-confirmed"])
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
                    for try await applied in group { #expect(applied == ["v1-history", "v2-pending", "v3-compact", "v4-confirmed"]) }
                }
            }
        }
    }

    /// A store written by v1 and v2 (rows inserted as those schemas had them) keeps every
    /// entry, salt and pending entry through v3's compaction, and its checks still match.
    @Test func theCompactionCarriesOverWhatEarlierSchemasStored() throws {
        try Self.withDirectory { dir in
            let path = "\(dir)/history.sqlite3"
            let pepper = HistoryPepper(secret: Array(repeating: 9, count: 32))
            let salt = [UInt8](repeating: 7, count: 16)
            let cheap = PasswordHistoryTests.cheap
            let digest = { (text: String) -> Data in
                Data(HMACSHA256.authenticationCode(
                    key: pepper.secret, message: Argon2.hash(password: Array(text.utf8), salt: salt, parameters: cheap)!))
            }
            do {
                let queue = try DatabaseQueue(path: path)
                // The v1 and v2 steps only, as an older postern-history left the file.
                try HistoryStoreSchema.migrator.migrate(queue, upTo: "v2-pending")
                try queue.write { db in
                    try db.execute(sql: "INSERT INTO history_setting (key, value) VALUES ('retention', '5')")
                    try db.execute(sql: "INSERT INTO user_salt (user_id, salt) VALUES ('u1', ?)", arguments: [Data(salt)])
                    for (index, text) in ["older", "newer"].enumerated() {
                        try db.execute(
                            sql: "INSERT INTO history_entry (user_id, digest, parameters, pepper_check, created_at) VALUES ('u1', ?, ?, ?, ?)",
                            arguments: [digest(text), PasswordHistory.text(cheap), pepper.check, Date(timeIntervalSince1970: 1_700_000_000 + Double(index))])
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO pending_entry (id, user_id, digest, parameters, pepper_check, created_at, expires_at)
                            VALUES ('0123456789abcdef0123456789abcdef', 'u1', ?, ?, ?, ?, ?)
                            """,
                        arguments: [digest("pending"), PasswordHistory.text(cheap), pepper.check, Date(), Date().addingTimeInterval(3600)])
                }
                try queue.close()
            }
            let store = try HistoryStore(path: path)
            let history = PasswordHistory(store: store, pepper: pepper, parameters: cheap)
            #expect(try history.check(Array("older".utf8), for: "u1", count: 2) == (true, 2))
            #expect(try history.check(Array("older".utf8), for: "u1", count: 1) == (false, 1), "newest first, by date")
            #expect(try history.stats().pending == 1)
            #expect(try history.confirm("0123456789abcdef0123456789abcdef") == .recorded(userID: "u1"))
            #expect(try history.confirm("0123456789abcdef0123456789abcdef") == .recordedBefore, "a repeated Confirm is not a loss")
            #expect(try history.confirm("fedcba9876543210fedcba9876543210") == .missing)
            #expect(try history.check(Array("pending".utf8), for: "u1", count: 1) == (true, 1))
            let tables = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
            #expect(!tables.contains("history_entry") && !tables.contains("user_salt") && !tables.contains("pending_entry"))
        }
    }

    @Test func withoutAPepperOrWithAnotherOneOverEntriesTheDaemonDoesNotStart() throws {
        try Self.withDirectory { dir in
            let store = try HistoryStore(directory: dir)
            #expect { try HistoryPepper.load(path: "\(dir)/missing", store: store) } throws: { error in
                (error as? StartupError)?.message.contains("head -c 32 /dev/urandom | base64") == true
            }
            let first = try HistoryPepper.load(path: Self.pepperFile(dir, "first", 1), store: store).current
            #expect(try store.pepperCheck() == first.check)
            // No entries yet: another pepper takes its place.
            let second = try HistoryPepper.load(path: Self.pepperFile(dir, "second", 2), store: store).current
            #expect(try store.pepperCheck() == second.check && first.check != second.check)

            let history = PasswordHistory(store: store, pepper: second, parameters: PasswordHistoryTests.cheap)
            try history.setRetention(3)
            try history.record(Array("x".utf8), for: "u1")
            let firstPath = try Self.pepperFile(dir, "first", 1)
            #expect { try HistoryPepper.load(path: firstPath, store: store) } throws: { error in
                (error as? StartupError)?.message.contains("is not the one 1 stored history entries") == true
            }
            #expect(try store.pepperCheck() == second.check, "a refused pepper changes nothing")
            #expect(try HistoryPepper.load(path: Self.pepperFile(dir, "again", 2), store: store).current.check == second.check)
            // Rotation: the old pepper, given as retired, lets a new one start.
            let rotated = try HistoryPepper.load(path: firstPath, retiredPaths: [Self.pepperFile(dir, "old", 2)], store: store)
            #expect(rotated.current.check == first.check && rotated.retired.map(\.check) == [second.check])
            #expect { try HistoryPepper.load(path: firstPath, retiredPaths: ["\(dir)/gone"], store: store) } throws: { error in
                (error as? StartupError)?.message.contains("pepper.retired_files") == true
            }
            _ = FileManager.default.createFile(atPath: "\(dir)/bad", contents: Data("short\n".utf8), attributes: [.posixPermissions: 0o600])
            #expect(throws: StartupError.self) { try HistoryPepper.load(path: "\(dir)/bad", store: store) }
        }
    }
}
