import Logging
import PosternProtocol
import PosternWire

/// Everything an operator can set for one daemon, after the file, the environment and the
/// command line have been read. `docs/configuration.md` lists every key and its default.
public struct DaemonSettings: Sendable {
    public var socketPath: String
    public var socketMode: UInt32 = 0o660
    public var socketGroup: UInt32?
    public var access = AccessPolicy.rootOnly
    public var maximumFrameLength = FrameDecoder.defaultMaximumFrameLength
    public var maximumConnections = 1024
    public var maximumCallsInFlightPerConnection = 128
    public var maximumCallDuration: Duration = .seconds(60)
    public var shutdownGracePeriod: Duration = .seconds(10)
    public var logLevel: Logger.Level = .info
    /// Serves `postern.diagnostics.v1.Diagnostics` (a Sleep method) for tests. Never in production.
    public var diagnostics = false

    /// The defaults for `identity`.
    public init(defaultsFor identity: DaemonIdentity) {
        socketPath = identity.defaultSocketPath
    }

    /// What the RPC server needs of these settings.
    public func serverConfiguration() -> RPCServerConfiguration {
        RPCServerConfiguration(
            socketPath: socketPath,
            maximumFrameLength: maximumFrameLength,
            maximumConnections: maximumConnections,
            maximumCallsInFlightPerConnection: maximumCallsInFlightPerConnection,
            maximumCallDuration: maximumCallDuration,
            access: access,
            socketMode: socketMode,
            socketGroup: socketGroup,
            shutdownGracePeriod: shutdownGracePeriod)
    }
}
