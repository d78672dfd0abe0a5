import Foundation
import PosternCrypto
import PosternDaemon
import PosternHashing
import PosternProtocol
import PosternRPC
import PosternWire

/// `postern-history` as a daemon: its identity and the services it serves. At start it opens
/// its history store under the state directory and reads its pepper; without either it does
/// not start, and says why. New entries are made with the `hash.argon2.*` parameters, on
/// `hash.threads` threads with `hash.queue` waiting at most.
public enum HistoryDaemon {
    public static let description = DaemonDescription<HistorySettings>(checkSettings: { settings throws(StartupError) in
        _ = try argon2Parameters(settings.hashing)
    }) { startup in
        let directory = try StateDirectory.prepare(startup.settings.daemon.stateDirectory, logger: startup.logger)
        let store = try HistoryStore(directory: directory)
        let pepperPath = startup.settings.pepperPath(environment: startup.environment)
        let peppers = try HistoryPepper.load(
            path: pepperPath, retiredPaths: startup.settings.retiredPepperFiles, store: store,
            insecurePermissionsOK: startup.settings.daemon.insecurePermissionsOK)
        let hashing = startup.settings.hashing
        let parameters = try argon2Parameters(hashing)
        let pool = HashingPool(
            threads: hashing.threads ?? ProcessInfo.processInfo.activeProcessorCount, queueLimit: hashing.queueLimit)
        startup.logger.info(
            "history store open",
            metadata: [
                "path": "\(store.path)", "schema": "\((try? store.appliedMigrations().last) ?? "?")", "pepper_file": "\(pepperPath)", "retired_peppers": "\(peppers.retired.count)",
                "parameters": "\(PasswordHistory.text(parameters))", "threads": "\(pool.threads)", "queue": "\(pool.queueLimit)",
            ])
        let history = PasswordHistory(store: store, peppers: peppers, parameters: parameters)
        // Pending entries whose Confirm never came (their password was never set) go now;
        // later ones go as new pending entries are recorded.
        let expired: Int
        do {
            expired = try history.dropExpiredPending()
        } catch {
            throw StartupError("cannot drop expired pending entries from \(store.path): \(error)")
        }
        if expired > 0 { startup.logger.notice("history_pending_expired", metadata: ["count": "\(expired)"]) }
        return [
            HistoryService(
                history: history, pool: pool, pendingExpiry: startup.settings.pendingExpiry,
                reservationExpiry: startup.settings.reservationExpiry, logger: startup.logger)
        ]
    }

    /// New entries' Argon2id parameters; ones libargon2 refuses (memory under 8 KiB per lane)
    /// would fail every record, so they keep the daemon from starting.
    static func argon2Parameters(_ hashing: HashingSettings) throws(StartupError) -> Argon2.Parameters {
        let parameters = Argon2.Parameters(
            variant: .id, memoryKiB: UInt32(hashing.argon2MemoryKiB), iterations: UInt32(hashing.argon2Iterations),
            parallelism: UInt32(hashing.argon2Parallelism))
        guard Argon2.hash(password: [0], salt: [UInt8](repeating: 0, count: 16), parameters: parameters) != nil else {
            throw StartupError("libargon2 refuses hash.argon2.* = \(PasswordHistory.text(parameters)); "
                + "memory_kib must be at least 8 × parallelism")
        }
        return parameters
    }
}
