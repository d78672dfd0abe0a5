import ArgumentParser
import PosternClient

#if canImport(Glibc)
import Glibc
#endif

/// Prints a daemon's refusal as `postern: CODE message` on stderr and exits 1.
func failing<T>(_ body: () async throws(RPCError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        printError("postern: \(error.code.name): \(error.message)")
        throw ExitCode(1)
    }
}

func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A connection to postern-password, closed after `body`.
func withPasswordDaemon<T>(
    _ sockets: SocketOptions, _ body: (RPCClient) async throws(RPCError) -> T
) async throws -> T {
    try await withDaemon(.password, sockets, body)
}

/// A connection to `daemon`, closed after `body`.
func withDaemon<T>(
    _ daemon: DaemonIdentity, _ sockets: SocketOptions, _ body: (RPCClient) async throws(RPCError) -> T
) async throws -> T {
    let client = try await failing { () throws(RPCError) in try await RPCClient.connect(to: sockets.socketPath(of: daemon)) }
    do {
        let result = try await failing { () throws(RPCError) in try await body(client) }
        await client.close()
        return result
    } catch {
        await client.close()
        throw error
    }
}
