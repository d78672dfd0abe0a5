import Foundation
import GRDB
import PosternRPC

/// Opening a daemon's SQLite store the one way every Postern daemon does (docs/storage.md):
/// WAL mode (GRDB's `DatabasePool`: one writer, concurrent readers), `synchronous = FULL` on
/// the writer so an acknowledged write survives kill -9 and power loss, a 5 s wait for another
/// process's write lock, and versioned migrations applied at start. A file migrated past this
/// build's schema is refused and left alone. Several processes may open a fresh file at once.
/// The file and its WAL and shared-memory files are the owner's alone (0600), whatever the umask.
public enum SQLiteStore {
    /// The open, migrated pool for the file at `path`; `what` names it in errors ("the user
    /// store"), `daemon` in advice ("postern-password").
    public static func open(
        path: String, what: String, daemon: String, migrator: DatabaseMigrator
    ) throws(StartupError) -> DatabasePool {
        var configuration = Configuration()
        configuration.label = daemon
        // A writer waits this long for another process's write lock before failing.
        configuration.busyMode = .timeout(5)
        try OwnerOnlyFiles.prepare(database: path, what: what)
        let pool: DatabasePool
        do {
            pool = try openPool(path: path, configuration: configuration)
        } catch {
            throw StartupError("cannot open \(what) \(path): \(reason(error))")
        }
        do {
            if try pool.read(migrator.hasBeenSuperseded) {
                throw StartupError(
                    "\(what) \(path) has a newer schema than this \(daemon) knows; "
                        + "run the newer version, or restore a backup made for this one")
            }
            try migrate(pool, with: migrator)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError("cannot bring \(what) \(path) up to date: \(reason(error))")
        }
        return pool
    }

    /// Opens the pool; while another process creates or migrates the same file, turning WAL on
    /// can fail at once with "database is locked" (SQLite does not wait on that lock), so a
    /// busy open is tried again for up to 5 s.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Only the writer commits, so only it needs FULL; it cannot be set in
                // `prepareDatabase`, because GRDB turns WAL on after that and sets NORMAL with
                // it, which leaves the last commits to a power cut.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                return pool
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && ContinuousClock.now < deadline
            {
                usleep(20_000)
            }
        }
    }

    /// Applies the pending migrations, also when another process (a second daemon started at
    /// the same moment) migrates the same file: GRDB reads the applied migrations before it
    /// takes the write lock, so the slower one can run a migration the faster one has just
    /// committed ("table … already exists"; rolled back). Such a failure is retried as long
    /// as the applied migrations grew since the last try; one that makes no progress is real.
    private static func migrate(_ pool: DatabasePool, with migrator: DatabaseMigrator) throws {
        var applied = try pool.read(migrator.appliedIdentifiers)
        while true {
            do {
                return try migrator.migrate(pool)
            } catch {
                let now = try pool.read(migrator.appliedIdentifiers)
                guard now.count > applied.count else { throw error }
                applied = now
            }
        }
    }

    /// SQLite's own words for a failure.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
