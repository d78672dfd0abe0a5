import PosternRPC
import NIOCore
import NIOPosix
import PosternProtocol
import Synchronization

/// An async client on one Unix-socket connection to a Postern daemon. Calls are multiplexed
/// by call id: any number may be in flight at once, from any task.
public final class RPCClient: Sendable {
    /// The path this client connected to.
    public let socketPath: String
    /// How long a call waits for its answer when it names no timeout of its own.
    public let callTimeout: Duration
    private let channel: any Channel
    private let lastCallID = Atomic<UInt64>(0)

    private init(socketPath: String, channel: any Channel, callTimeout: Duration) {
        self.socketPath = socketPath
        self.channel = channel
        self.callTimeout = callTimeout
    }

    /// Connects to the daemon listening on `socketPath`. Fails UNAVAILABLE when there is no
    /// socket there or nothing listens on it, PERMISSION_DENIED when this user may not open
    /// it, DEADLINE_EXCEEDED when the connection is not accepted within `connectTimeout`; the
    /// message names the path and the reason in plain words.
    public static func connect(
        to socketPath: String,
        connectTimeout: Duration = .seconds(5),
        callTimeout: Duration = .seconds(30),
        maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(RPCError) -> RPCClient {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(nanoseconds(connectTimeout)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximumFrameLength)))
                    try channel.pipeline.syncOperations.addHandler(RPCClientHandler(socketPath: socketPath))
                }
            }
        do {
            let channel = try await bootstrap.connect(unixDomainSocketPath: socketPath).get()
            return RPCClient(socketPath: socketPath, channel: channel, callTimeout: callTimeout)
        } catch {
            throw ConnectFailure.describe(error, path: socketPath)
        }
    }

    /// Calls `method` with an encoded request and returns the encoded response. Throws the
    /// daemon's status as an `RPCError`, DEADLINE_EXCEEDED when no answer came within
    /// `timeout` (nil: the client's `callTimeout`), CANCELLED when the calling task is
    /// cancelled, UNAVAILABLE when the connection is gone.
    public func call(
        _ method: String,
        payload: [UInt8],
        timeout: Duration? = nil,
        metadata: [Postern.Wire.V1.MetadataEntry] = []
    ) async throws(RPCError) -> [UInt8] {
        let timeout: Duration? = timeout ?? callTimeout
        guard !Task.isCancelled else {
            throw RPCError(code: .cancelled, message: "the caller cancelled the call")
        }
        let callID = lastCallID.wrappingAdd(1, ordering: .relaxed).newValue
        let request = Envelope(
            callID: callID, method: method,
            timeoutMs: timeout.map(Self.milliseconds) ?? 0,
            metadata: metadata, payload: payload)
        let answer = channel.eventLoop.makePromise(of: Envelope.self)
        let command = RPCClientCommand.call(
            request: request, timeout: timeout.map { .nanoseconds(Self.nanoseconds($0)) }, promise: answer)

        let result: Result<Envelope, RPCError> = await withTaskCancellationHandler {
            let socketPath = self.socketPath
            channel.writeAndFlush(command).whenFailure { error in
                answer.fail(RPCError(code: .unavailable, message: "the connection to \(socketPath) is closed (\(error))"))
            }
            do {
                return .success(try await answer.futureResult.get())
            } catch let error as RPCError {
                return .failure(error)
            } catch {
                return .failure(RPCError(code: .unavailable, message: "\(error)"))
            }
        } onCancel: {
            channel.writeAndFlush(RPCClientCommand.cancel(callID: callID), promise: nil)
        }
        let envelope = try result.get()
        guard envelope.status == .ok else {
            throw RPCError(code: envelope.status, message: envelope.statusMessage)
        }
        return envelope.payload
    }

    /// Calls `method` with a typed request and decodes the typed response.
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Response {
        let payload = try await call(method.path, payload: request.protobuf(), timeout: timeout)
        do {
            return try Response(protobuf: payload)
        } catch {
            throw RPCError(code: .internal, message: "the daemon at \(socketPath) answered \(method.path) with \(error)")
        }
    }

    /// Closes the connection; calls still in flight fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : total &+ attoseconds / 1_000_000_000
    }

    private static func milliseconds(_ duration: Duration) -> UInt32 {
        let milliseconds = max(0, nanoseconds(duration) / 1_000_000)
        return UInt32(clamping: max(1, milliseconds))
    }
}
