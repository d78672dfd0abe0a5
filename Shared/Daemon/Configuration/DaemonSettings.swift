import Logging
import PosternHashing
import PosternRPC
import PosternWire

/// What every daemon reads, after the file, the environment and the command line: its socket,
/// access policy and limits, threads, log level, state directory. `docs/configuration.md` lists
/// every key and its default; the server's defaults are `RPCServerConfiguration`'s own. Each
/// daemon's settings type embeds this one and adds its own keys' values.
public struct DaemonSettings: Sendable {
    /// Socket, access policy, limits and grace period.
    public var server: RPCServerConfiguration
    /// Event loop threads; nil for one per CPU (NIO's shared group).
    public var eventLoopThreads: Int?
    public var logLevel: Logger.Level = .info
    /// Where the daemon keeps its database; created (mode 0700) if missing.
    public var stateDirectory: String
    /// Serves `postern.diagnostics.v1.Diagnostics` (a Sleep method) for tests. Never in production.
    public var diagnostics = false
    /// Reads key and pepper files whatever their mode, owner or symlinks (odd setups only).
    public var insecurePermissionsOK = false

    /// The defaults for `identity`.
    public init(defaultsFor identity: DaemonIdentity) {
        server = RPCServerConfiguration(socketPath: identity.defaultSocketPath)
        stateDirectory = identity.defaultStateDirectory
    }
}

/// One daemon's settings: the shared ones and those of the keys only it reads. The keys a
/// daemon reads decide which of these it is (`ConfigurationKey.daemons`).
public protocol ConfiguredSettings: Sendable {
    static var identity: DaemonIdentity { get }
    var daemon: DaemonSettings { get set }
    /// Every setting at its default.
    init()
}

/// The settings of a daemon that hashes passwords (`hash.*`).
public protocol HashingConfigured: ConfiguredSettings {
    var hashing: HashingSettings { get set }
}
