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
    /// The daemons policies may ask (docs/policies.md).
    let dependencies: PolicyDependencies
    let pool: DatabasePool
    private let current: Mutex<ConfigurationSnapshot>
    /// Held for the whole of a change, commit and publication included.
    private let changing = Mutex(())
    /// Told after each published change (to keep postern-history's retention, say).
    private let observers = Mutex<[@Sendable () -> Void]>([])

    public init(path: String, dependencies: PolicyDependencies = .none) throws(StartupError) {
        self.path = path
        self.dependencies = dependencies
        pool = try SQLiteStore.open(path: path, what: "the policy store", daemon: "postern-policy", migrator: PolicyStoreSchema.migrator)
        let loaded: PolicyConfiguration
        do {
            loaded = try pool.read { db in try Self.load(db, previous: PolicyConfiguration(), dependencies: dependencies) }
        } catch let failure as PolicyFailure {
            throw StartupError("the policy store \(path) holds a policy that cannot run: \(failure.message)")
        } catch {
            throw StartupError("cannot read the policy store \(path): \(error)")
        }
        current = Mutex(ConfigurationSnapshot(loaded))
    }

    public convenience init(directory: String, dependencies: PolicyDependencies = .none) throws(StartupError) {
        try self.init(path: directory + "/" + Self.fileName, dependencies: dependencies)
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try PolicyStoreSchema.migrator.appliedMigrations($0) }
    }

    /// The configuration as of the last committed change.
    var snapshot: ConfigurationSnapshot { current.withLock { $0 } }
    var configuration: PolicyConfiguration { snapshot.configuration }

    /// Runs `body` in a write transaction, then reloads the configuration from it and, once the
    /// transaction has committed, publishes it. A refusal `body` throws (an `RPCError`) rolls
    /// back and is answered as is; a failed commit publishes nothing. Changes run one at a time
    /// (this process is the store's only writer), so each one checks against the configuration
    /// every earlier change published, and configurations publish in commit order.
    /// With `rollBack`, `body` runs and its answer is returned, but the transaction is rolled
    /// back and nothing is published (a blueprint's dry run).
    func change<T: Sendable>(
        rollBack: Bool = false, _ body: @escaping @Sendable (Database, PolicyConfiguration) throws -> T
    ) throws(RPCError) -> T {
        let result: Result<T, RPCError> = changing.withLock { _ in
            let before = configuration
            do {
                let (answer, after) = try pool.write { db in
                    let answer = try body(db, before)
                    if rollBack { throw RolledBack(answer: answer) }
                    return (answer, try Self.load(db, previous: before, dependencies: self.dependencies))
                }
                let published = ConfigurationSnapshot(after)
                current.withLock { $0 = published }
                for observer in observers.withLock({ $0 }) { observer() }
                return .success(answer)
            } catch let rolled as RolledBack<T> {
                return .success(rolled.answer)
            } catch let error as RPCError {
                return .failure(error)
            } catch let failure as PolicyFailure {
                return .failure(RPCError(code: .invalidArgument, message: failure.message))
            } catch {
                return .failure(RPCError(code: .unavailable, message: "the policy store failed: \(StoreError(error))", cause: error))
            }
        }
        return try result.get()
    }

    /// Calls `observer` after every change is published. It runs while the change is still
    /// held, so it must only start work, never wait for it.
    func onChange(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// How `change(rollBack: true)` leaves the transaction with its answer.
    private struct RolledBack<T: Sendable>: Error {
        let answer: T
    }

    /// The configuration as `db` holds it now, inside a change (after some of its writes).
    func reload(_ db: Database, previous: PolicyConfiguration) throws -> PolicyConfiguration {
        try Self.load(db, previous: previous, dependencies: dependencies)
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
