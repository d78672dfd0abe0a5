import Foundation
import GRDB
import Logging
import PosternProtocol
import PosternRPC
import PosternStore
import Synchronization

/// postern-policy's database: one SQLite file under its state directory, opened as every
/// Postern store is (`SQLiteStore`), and the configuration it holds, in memory
/// (`PolicyConfiguration`). Every change is checked and written in one transaction, and the
/// in-memory configuration is reloaded in that transaction and published when it commits.
public final class PolicyStore: Sendable {
    public static let fileName = "policy.sqlite3"

    public let path: String
    let pool: DatabasePool
    private let current: Mutex<ConfigurationSnapshot>

    public init(path: String) throws(StartupError) {
        self.path = path
        pool = try SQLiteStore.open(path: path, what: "the policy store", daemon: "postern-policy", migrator: PolicyStoreSchema.migrator)
        let loaded: PolicyConfiguration
        do {
            loaded = try pool.read { db in try Self.load(db, previous: PolicyConfiguration()) }
        } catch let failure as PolicyFailure {
            throw StartupError("the policy store \(path) holds a policy that cannot run: \(failure.message)")
        } catch {
            throw StartupError("cannot read the policy store \(path): \(error)")
        }
        current = Mutex(ConfigurationSnapshot(loaded))
    }

    public convenience init(directory: String) throws(StartupError) {
        try self.init(path: directory + "/" + Self.fileName)
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try PolicyStoreSchema.migrator.appliedMigrations($0) }
    }

    /// The configuration as of the last committed change.
    var snapshot: ConfigurationSnapshot { current.withLock { $0 } }
    var configuration: PolicyConfiguration { snapshot.configuration }

    /// Runs `body` in a write transaction, then reloads the configuration from it and publishes
    /// it. A refusal `body` throws (an `RPCError`) rolls back and is answered as is.
    func change<T: Sendable>(_ body: @escaping @Sendable (Database, PolicyConfiguration) throws -> T) throws(RPCError) -> T {
        do {
            return try pool.write { db in
                let before = configuration
                let answer = try body(db, before)
                let after = try Self.load(db, previous: before)
                // Published while the write lock is held, so configurations publish in commit order.
                // (If the commit then failed, the next change's reload corrects it.)
                let published = ConfigurationSnapshot(after)
                current.withLock { $0 = published }
                return answer
            }
        } catch let error as RPCError {
            throw error
        } catch let failure as PolicyFailure {
            throw RPCError(code: .invalidArgument, message: failure.message)
        } catch {
            throw RPCError(code: .unavailable, message: "the policy store failed: \(StoreError(error))", cause: error)
        }
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func now() -> String { SQLiteDateText.text(Date()) }
}
