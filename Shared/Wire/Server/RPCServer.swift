import PosternRPC
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where an `RPCServer` listens and the limits that keep any client from exhausting it.
public struct RPCServerConfiguration: Sendable {
    /// The longest socket path a Unix socket address holds, in bytes.
    public static let maximumSocketPathLength = UnixSocketPath.maximumLength

    /// The Unix socket path to listen on; its parent directory is created if missing.
    public var socketPath: String
    /// The largest frame body accepted or sent, in bytes (default 1 MiB).
    public var maximumFrameLength: Int
    /// The largest frame body accepted from a peer granted nothing beyond `open` (Health).
    public static let ungrantedMaximumFrameLength = 64 * 1024
    /// The idle timeout of a peer granted nothing beyond `open`, when `idleTimeout` is longer.
    public static let ungrantedIdleTimeout = Duration.seconds(10)

    /// Open connections at once; one more is answered RESOURCE_EXHAUSTED and closed.
    public var maximumConnections: Int
    /// Open connections of one uid (root excepted); one more is answered RESOURCE_EXHAUSTED.
    public var maximumConnectionsPerUser: Int
    /// Open connections, all together, of peers the access policy grants nothing beyond
    /// `open`; one more is answered RESOURCE_EXHAUSTED.
    public var maximumUngrantedConnections: Int
    /// Of `maximumConnections`, how many only callers that log users in (`verify`), other
    /// Postern daemons (`peer`) and root may take; must be less than `maximumConnections`.
    /// Nil: one sixteenth of `maximumConnections` (64 of 1024).
    public var reservedConnections: Int?

    /// `reservedConnections`, or its automatic value.
    public var effectiveReservedConnections: Int { reservedConnections ?? maximumConnections / 16 }
    /// Bytes of partly received frames held across all connections; a connection that would
    /// take the total past it is answered RESOURCE_EXHAUSTED and closed.
    public var maximumBufferedBytes: Int
    /// A connection with no call in flight that sends nothing for this long is closed (0 = never).
    public var idleTimeout: Duration
    /// Once a frame's first bytes are in, the whole frame must arrive within this, or the
    /// connection is answered DEADLINE_EXCEEDED and closed.
    public var frameTimeout: Duration
    /// Calls awaiting their answer on one connection; one more is answered RESOURCE_EXHAUSTED.
    public var maximumCallsInFlightPerConnection: Int
    /// The longest any call may run, whatever deadline its client asked for (0 = none).
    public var maximumCallDuration: Duration
    /// Who may call which class of method.
    public var access: AccessPolicy
    /// The socket file's permission bits (default 0660: owner and group may connect).
    public var socketMode: UInt32
    /// The socket file's group, when not the daemon's own.
    public var socketGroup: UInt32?
    /// On graceful stop, how long calls already running may take to finish.
    public var shutdownGracePeriod: Duration
    /// A listening socket made by someone else (systemd socket activation). When set the
    /// server serves on it; `socketPath` only names it in logs, and the socket file's path,
    /// mode and group are left as they are, before and after.
    public var inheritedListener: Int32?

    public init(
        socketPath: String,
        maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength,
        maximumConnections: Int = 1024,
        maximumConnectionsPerUser: Int = 256,
        maximumUngrantedConnections: Int = 16,
        reservedConnections: Int? = nil,
        maximumBufferedBytes: Int = 64 << 20,
        idleTimeout: Duration = .seconds(300),
        frameTimeout: Duration = .seconds(10),
        maximumCallsInFlightPerConnection: Int = 128,
        maximumCallDuration: Duration = .seconds(60),
        access: AccessPolicy = .rootOnly,
        socketMode: UInt32 = 0o660,
        socketGroup: UInt32? = nil,
        shutdownGracePeriod: Duration = .seconds(10),
        inheritedListener: Int32? = nil
    ) {
        self.socketPath = socketPath
        self.maximumFrameLength = maximumFrameLength
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerUser = maximumConnectionsPerUser
        self.maximumUngrantedConnections = maximumUngrantedConnections
        self.reservedConnections = reservedConnections
        self.maximumBufferedBytes = maximumBufferedBytes
        self.idleTimeout = idleTimeout
        self.frameTimeout = frameTimeout
        self.maximumCallsInFlightPerConnection = maximumCallsInFlightPerConnection
        self.maximumCallDuration = maximumCallDuration
        self.access = access
        self.socketMode = socketMode
        self.socketGroup = socketGroup
        self.shutdownGracePeriod = shutdownGracePeriod
        self.inheritedListener = inheritedListener
    }
}

/// Serves an `RPCRouter`'s methods on a Unix socket until graceful shutdown.
///
/// A `Service` for swift-service-lifecycle: `run()` binds (throwing a `StartupError` that
/// says why it cannot), calls `onListening`, serves, and on graceful shutdown calls
/// `onGracefulShutdown`, stops accepting, removes its socket file and waits up to
/// `shutdownGracePeriod` for the calls already running to finish and be answered.
/// Then it closes every connection still open.
public final class RPCServer: Service {
    public let configuration: RPCServerConfiguration
    private let router: RPCRouter
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onListening: @Sendable () -> Void
    private let onGracefulShutdown: @Sendable () -> Void
    private let running = InFlightCalls()
    private let connections: ConnectionBudget
    private let buffered: BufferedBytes
    private let refusedConnection: RateLimitedWarning

    public init(
        configuration: RPCServerConfiguration,
        router: RPCRouter,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable () -> Void = {},
        onGracefulShutdown: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.group = group
        self.onListening = onListening
        self.onGracefulShutdown = onGracefulShutdown
        self.connections = ConnectionBudget(limits: .init(
            total: configuration.maximumConnections, perUser: configuration.maximumConnectionsPerUser,
            ungranted: configuration.maximumUngrantedConnections,
            reserved: min(configuration.effectiveReservedConnections, configuration.maximumConnections)))
        self.buffered = BufferedBytes(limit: configuration.maximumBufferedBytes)
        self.refusedConnection = RateLimitedWarning(logger: logger, message: "refusing connection")
    }

    public func run() async throws {
        AfterTheAnswer.install(AfterTheAnswer.onTheEventLoop)
        let path = configuration.socketPath
        let channel = try await bind()
        let inherited = configuration.inheritedListener != nil
        logger.info("listening", metadata: ["socket": "\(path)", "from": "\(inherited ? "systemd" : "bind")"])
        onListening()

        await withGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onGracefulShutdown: { [onGracefulShutdown] in
            onGracefulShutdown()
            channel.close(promise: nil)
        }
        if !inherited { unlink(path) }
        logger.info("stopped listening", metadata: ["socket": "\(path)", "calls_running": "\(running.current)"])
        if !(await running.drain(within: configuration.shutdownGracePeriod)) {
            logger.warning("grace period over; abandoning calls", metadata: ["calls_running": "\(running.current)"])
        }
        connections.closeAll()
    }

    /// The listening and connection socket options every RPC server uses (and the wire
    /// benchmark's bare-NIO reference server, so that it measures the same setup).
    /// When accepting fails (out of descriptors: EMFILE), accepting pauses for a second (NIO's
    /// `AcceptBackoffHandler`), logged at most once a pause, instead of retrying at full CPU.
    public static func withSocketOptions(_ bootstrap: ServerBootstrap, logger: Logger? = nil) -> ServerBootstrap {
        bootstrap
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let backoff = AcceptBackoffHandler(shouldForwardIOErrorCaught: false) { error in
                        logger?.warning("cannot accept connections; pausing for 1 s", metadata: ["error": "\(error)"])
                        return .seconds(1)
                    }
                    try channel.pipeline.syncOperations.addHandler(backoff)
                }
            }
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 256 * 1024))
    }

    private func bind() async throws(StartupError) -> any Channel {
        let path = configuration.socketPath
        guard configuration.effectiveReservedConnections < configuration.maximumConnections else {
            throw StartupError(
                "limits.reserved_connections (\(configuration.effectiveReservedConnections)) must be less than the "
                    + "connections served (\(configuration.maximumConnections)); lower it or raise limits.connections")
        }
        if configuration.inheritedListener == nil { try UnixSocketPath.prepare(path) }
        let router = self.router
        let logger = self.logger
        let configuration = self.configuration
        let connections = self.connections
        let running = self.running
        let buffered = self.buffered
        let refused = self.refusedConnection
        let bootstrap = Self.withSocketOptions(ServerBootstrap(group: group), logger: logger)
            .childChannelInitializer { channel in
                PeerCredentials.of(channel).flatMapThrowing { peer in
                    let pipeline = channel.pipeline.syncOperations
                    let standing = configuration.access.standing(of: peer)
                    if let refusal = connections.admit(channel, peer: peer, standing: standing) {
                        refused.warn(metadata: ["uid": "\(peer.uid)", "reason": "\(refusal)"])
                        try pipeline.addHandler(RefuseConnectionHandler(status: .resourceExhausted, message: refusal))
                        return
                    }
                    try pipeline.addHandler(
                        RPCServerHandler(
                            router: router, configuration: configuration, peer: peer, granted: standing != .ungranted,
                            running: running, buffered: buffered, logger: logger))
                }
            }
        if let descriptor = configuration.inheritedListener {
            do {
                return try await bootstrap.withBoundSocket(descriptor).get()
            } catch {
                throw StartupError("cannot serve on the socket systemd passed (fd \(descriptor), \(path)): \(error)")
            }
        }
        let staging = try UnixSocketPath.Staging(beside: path)
        defer { staging.remove() }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(unixDomainSocketPath: staging.socket).get()
        } catch {
            throw StartupError("cannot listen on \(path): \(error)")
        }
        do {
            try staging.moveIntoPlace(path, mode: configuration.socketMode, group: configuration.socketGroup)
        } catch {
            try? await channel.close()
            throw error
        }
        return channel
    }
}
