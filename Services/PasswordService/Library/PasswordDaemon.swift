import Foundation
import Logging
import PosternDaemon
import PosternHashing
import PosternProtocol
import PosternRPC
import PosternWire

/// `postern-password` as a daemon: its identity and the services it serves. At start it opens
/// its user store under the state directory and brings the schema up to date, and reads the
/// app-password key; a store it cannot open, or a key that is not the stored app passwords',
/// keeps it from starting, with the reason.
public enum PasswordDaemon {
    public static let description = DaemonDescription<PasswordSettings>(checkSettings: { settings throws(StartupError) in
        _ = try HashingPolicy(settings.hashing)
    }) { startup in
        let directory = try StateDirectory.prepare(startup.settings.daemon.stateDirectory, logger: startup.logger)
        let store = try PasswordStore(directory: directory)
        startup.logger.info(
            "user store open",
            metadata: ["path": "\(store.path)", "schema": "\((try? store.appliedMigrations().last) ?? "?")"])
        try await StageBlueprintsAtStart.apply(
            directory: startup.settings.blueprintsDirectory, environment: startup.environment, store: store, logger: startup.logger)
        let hashing = PasswordHashing(policy: try HashingPolicy(startup.settings.hashing))
        let pool = HashingPool(
            threads: startup.settings.hashing.threads ?? ProcessInfo.processInfo.activeProcessorCount,
            queueLimit: startup.settings.hashing.queueLimit)
        startup.logger.info(
            "password hashing ready",
            metadata: ["algorithm": "\(hashing.policy.algorithm.rawValue)", "threads": "\(pool.threads)", "queue": "\(pool.queueLimit)"])
        let keyPath = startup.settings.appPasswordKeyPath(environment: startup.environment)
        let appPasswordKey = try AppPasswordKey.load(
            path: keyPath, insecurePermissionsOK: startup.settings.daemon.insecurePermissionsOK)
        try await AppPasswordKeyCheck.atStartup(store: store, key: appPasswordKey, path: keyPath)
        startup.logger.info(
            "app passwords \(appPasswordKey == nil ? "off: no key" : "ready")", metadata: ["key_file": "\(keyPath)"])
        let settings = startup.settings
        let history = settings.historySocket.map { PeerClient(socketPath: $0, timeout: settings.historyTimeout) }
        if let history {
            HistoryConfirmationRetry.start(
                in: startup.background, client: history, store: store, interval: settings.historyRetryInterval,
                logger: startup.logger)
        }
        startup.logger.info("password history \(history == nil ? "off: no history.socket" : "recorded")", metadata: [
            "history_socket": "\(settings.historySocket ?? "off")"
        ])
        let pauses = settings.daemon.diagnostics
            ? DiagnosticPauses(
                afterHistoryRecord: settings.diagnosticPauseAfterHistoryRecord,
                afterPasswordCommit: settings.diagnosticPauseAfterPasswordCommit)
            : DiagnosticPauses()
        let ldapSources = LDAPSources(environment: startup.environment, logger: startup.logger)
        let kerberosSources = KerberosSources(environment: startup.environment, logger: startup.logger)
        do {
            ldapSources.load(try await store.ldapSources())
            kerberosSources.load(try await store.sources(in: .kerberos))
        } catch {
            throw StartupError("the LDAP and Kerberos sources cannot be read from the user store: \(error)")
        }
        return services(
            store: store, hashing: hashing, pool: pool, appPasswordKey: appPasswordKey, keyPath: keyPath,
            history: history, ldapSources: ldapSources, kerberosSources: kerberosSources, environment: startup.environment,
            pauses: pauses,
            failedAttemptsExpiry: settings.failedAttemptsExpiry, logger: startup.logger)
    }

    /// The daemon's services over one store, wired as it serves them (tests build the same).
    static func services(
        store: PasswordStore, hashing: PasswordHashing, pool: HashingPool, appPasswordKey: AppPasswordKey?,
        keyPath: String, history: PeerClient?, ldapSources: LDAPSources, kerberosSources: KerberosSources,
        environment: [String: String],
        pauses: DiagnosticPauses, failedAttemptsExpiry: Duration, logger: Logger
    ) -> [any RPCService] {
        let secrets = AppPasswordSecrets(key: appPasswordKey, keyPath: keyPath)
        let passwords = PasswordsService(
            store: store, hashing: hashing, pool: pool, history: history, directory: ldapSources, realms: kerberosSources,
            pauses: pauses, logger: logger)
        return [
            UsersService(store: store, history: history, logger: logger),
            AppPasswordsService(store: store, secrets: secrets, logger: logger),
            ServiceAccountsService(store: store, secrets: secrets, logger: logger),
            passwords,
            StagesService(store: store, logger: logger),
            StageBlueprintService(store: store, logger: logger),
            LDAPSourcesService(store: store, sources: ldapSources, environment: environment, logger: logger),
            KerberosSourcesService(store: store, sources: kerberosSources, environment: environment, logger: logger),
            AuthenticationService(
                store: store, verifier: PasswordVerifier(store: store, hashing: hashing, pool: pool, logger: logger),
                appPasswordKey: appPasswordKey,
                directories: [
                    LDAPBackend(sources: ldapSources, passwords: passwords, logger: logger),
                    KerberosBackend(sources: kerberosSources, passwords: passwords, logger: logger),
                ],
                failedAttemptsExpiry: failedAttemptsExpiry, logger: logger),
        ]
    }
}
