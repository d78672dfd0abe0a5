import PosternDaemon
import PosternProtocol

/// `postern-password` as a daemon: its identity and the services it serves (Users). At start it opens
/// its user store under the state directory and brings the schema up to date; a store it
/// cannot open keeps it from starting, with the reason.
public enum PasswordDaemon {
    public static let description = DaemonDescription(identity: .password) { startup in
        let directory = try StateDirectory.prepare(startup.settings.stateDirectory)
        let store = try PasswordStore(directory: directory)
        startup.logger.info(
            "user store open",
            metadata: ["path": "\(store.path)", "schema": "\((try? store.appliedMigrations().last) ?? "?")"])
        return [UsersService(store: store, logger: startup.logger)]
    }
}
