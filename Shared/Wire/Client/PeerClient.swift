import PosternProtocol
import PosternRPC

/// One daemon's connection to another Postern daemon (postern-password's and postern-policy's
/// to postern-history, `history.socket`): one connection, made on first use and made again
/// when it breaks (the other daemon restarted, say). Calls are multiplexed over it.
public actor PeerClient {
    public nonisolated let socketPath: String
    /// How long one call may take.
    public nonisolated let timeout: Duration
    private var client: RPCClient?

    public init(socketPath: String, timeout: Duration) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Calls `method`; a connection found broken is made again and the call tried once more.
    /// Only idempotent calls and pending records (whose stray copies expire unconfirmed) may
    /// come through here, so a second try is safe even if the first reached the other daemon.
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request
    ) async throws(RPCError) -> Response {
        let reused = client != nil
        do {
            return try await connection().call(method, request, timeout: timeout)
        } catch where error.code == .unavailable && reused {
            await drop()
            return try await connection().call(method, request, timeout: timeout)
        } catch where error.code == .unavailable {
            await drop()
            throw error
        }
    }

    private func connection() async throws(RPCError) -> RPCClient {
        if let client { return client }
        let fresh = try await RPCClient.connect(to: socketPath)
        // Another call may have connected while this one waited.
        if let client {
            await fresh.close()
            return client
        }
        client = fresh
        return fresh
    }

    private func drop() async {
        let broken = client
        client = nil
        await broken?.close()
    }
}
