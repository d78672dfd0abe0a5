import Logging
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire

/// `postern-policy` as a daemon: its identity and the services it serves. At start it opens
/// its policy store under the state directory and compiles every stored policy; without the
/// store, or with a policy this version cannot run, it does not start, and says why.
public enum PolicyDaemon {
    public static let description = DaemonDescription<PolicySettings> { startup in
        let directory = try StateDirectory.prepare(startup.settings.daemon.stateDirectory, logger: startup.logger)
        let settings = startup.settings
        let history = settings.historySocket.map { PeerClient(socketPath: $0, timeout: settings.historyTimeout) }
        let password = settings.passwordSocket.map { PeerClient(socketPath: $0, timeout: settings.passwordTimeout) }
        let store = try PolicyStore(
            directory: directory, dependencies: PolicyDependencies(history: history, password: password, logger: startup.logger))
        let configuration = store.configuration
        startup.logger.info(
            "policy store open",
            metadata: [
                "path": "\(store.path)", "schema": "\((try? store.appliedMigrations().last) ?? "?")",
                "policies": "\(configuration.policies.count)", "flows": "\(configuration.flows.count)",
                "bindings": "\(configuration.bindings.count)",
            ])
        try PolicyBlueprintsAtStart.apply(
            directory: settings.blueprintsDirectory, environment: startup.environment, store: store, logger: startup.logger)
        if let history {
            let retention = HistoryRetention(client: history, logger: startup.logger) { store.configuration.historyRetention }
            store.onChange { Task { await retention.sync() } }
            retention.start(in: startup.background, interval: settings.historyRetryInterval)
        }
        startup.logger.info(
            "password history \(history == nil ? "off: no history.socket, so no password_uniqueness policies" : "at \(settings.historySocket ?? "")")")
        return services(store: store, logger: startup.logger)
    }

    /// The services of a daemon over `store`, for the daemon and for in-process tests.
    public static func services(store: PolicyStore, logger: Logger) -> [any RPCService] {
        let engine = PolicyEngine(logger: logger)
        return [
            PoliciesService(store: store, engine: engine, logger: logger),
            FlowsService(store: store, logger: logger),
            StageBindingsService(store: store, logger: logger),
            PromptStagesService(store: store, logger: logger),
            BindingsService(store: store, logger: logger),
            BlueprintsService(store: store, logger: logger),
            EngineService(store: store, engine: engine),
        ]
    }
}
