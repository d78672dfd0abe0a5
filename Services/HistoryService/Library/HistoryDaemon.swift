import PosternDaemon
import PosternProtocol

/// `postern-history` as a daemon: its identity and the services it serves. At start it opens
/// its history store under the state directory and reads its pepper; without either it does
/// not start, and says why. Its RPCs arrive with the rest of its issue; until then it serves
/// Health.
public enum HistoryDaemon {
    public static let description = DaemonDescription(identity: .history) { startup in
        let directory = try StateDirectory.prepare(startup.settings.stateDirectory)
        let store = try HistoryStore(directory: directory)
        let pepperPath = startup.settings.historyPepperPath(environment: startup.environment)
        _ = try HistoryPepper.load(path: pepperPath, store: store)
        startup.logger.info(
            "history store open",
            metadata: ["path": "\(store.path)", "schema": "\((try? store.appliedMigrations().last) ?? "?")", "pepper_file": "\(pepperPath)"])
        return []
    }
}
