import Logging
import PosternProtocol
import PosternRPC
import PosternWire

/// What makes one daemon different from the others: who it is and which services it serves.
public struct DaemonDescription<Settings: ConfiguredSettings>: Sendable {
    public var identity: DaemonIdentity { Settings.identity }
    /// Builds the services besides Health once the configuration is read, before the socket
    /// listens: opens the daemon's store, say. A `StartupError` it throws is printed as the
    /// reason the daemon cannot start.
    public var makeServices: @Sendable (DaemonStartup<Settings>) async throws -> [any RPCService]
    /// Every check of the settings that start-up makes beyond reading them (hashing parameters
    /// libargon2 accepts, say), with no side effect: `--check-config` runs it too, so that it
    /// never calls valid a configuration the daemon would refuse to start with.
    public var checkSettings: @Sendable (Settings) throws(StartupError) -> Void

    public init(
        checkSettings: @escaping @Sendable (Settings) throws(StartupError) -> Void = { _ in },
        makeServices: @escaping @Sendable (DaemonStartup<Settings>) async throws -> [any RPCService]
    ) {
        self.checkSettings = checkSettings
        self.makeServices = makeServices
    }
}

/// What a daemon's services are built from.
public struct DaemonStartup<Settings: ConfiguredSettings>: Sendable {
    public let settings: Settings
    public let logger: Logger
    /// The daemon's environment (systemd's CREDENTIALS_DIRECTORY, say).
    public let environment: [String: String]
    /// Where services add work they run besides answering calls.
    public let background: BackgroundWork
}
