import Foundation
import Logging
import PosternProtocol
import PosternRPC
import PosternWire
import ServiceLifecycle

/// A server started by `withRunningServer`, and the controls of its graceful stop.
struct RunningServer: Sendable {
    let path: String
    fileprivate let group: ServiceGroup
    fileprivate let stopped: AsyncStream<Void>

    /// Starts the graceful stop and returns at once.
    func beginStop() async { await group.triggerGracefulShutdown() }

    /// Returns once the server has finished stopping.
    func waitUntilStopped() async {
        for await _ in stopped {}
    }
}

/// Runs an `RPCServer` with `router` on a fresh temporary socket for the duration of `body`,
/// which may stop it itself; otherwise it is stopped gracefully when `body` returns.
func withRunningServer<R: Sendable>(
    _ router: RPCRouter,
    configure: (inout RPCServerConfiguration) -> Void = { _ in },
    onGracefulShutdown: @escaping @Sendable () -> Void = {},
    _ body: @Sendable (RunningServer) async throws -> R
) async throws -> R {
    let directory = "/tmp/postern-wt-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = RPCServerConfiguration(socketPath: "\(directory)/s.sock")
    configure(&configuration)
    let listening = AsyncStream<Void>.makeStream()
    let stopped = AsyncStream<Void>.makeStream()
    let server = RPCServer(
        configuration: configuration, router: router, logger: Logger(label: "test"),
        onListening: { listening.continuation.yield() },
        onGracefulShutdown: onGracefulShutdown)
    let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
    let running = RunningServer(path: configuration.socketPath, group: group, stopped: stopped.stream)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { stopped.continuation.finish() }
            try await group.run()
        }
        var ready = listening.stream.makeAsyncIterator()
        _ = await ready.next()
        do {
            let result = try await body(running)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// `withRunningServer` for a body that needs only the socket path.
func withServer<R: Sendable>(
    _ router: RPCRouter,
    maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength,
    configure: (inout RPCServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (String) async throws -> R
) async throws -> R {
    try await withRunningServer(router, configure: {
        $0.maximumFrameLength = maximumFrameLength
        configure(&$0)
    }) { server in try await body(server.path) }
}

/// A blocking Unix-socket connection for sending bytes no well-behaved client would. Its
/// blocking reads run on a Dispatch thread, never on Swift's cooperative pool (two threads
/// here), which the server under test needs.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)  // a read never hangs a test
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one frame and decodes its Envelope; nil at end of stream.
    func readEnvelope() async throws -> Envelope? {
        try await offPool { try self.readEnvelopeBlocking() }
    }

    /// True when the peer has closed the connection (read returns 0).
    func isClosedByPeer() async throws -> Bool {
        try await offPool { try self.read(1) == nil }
    }

    private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    private func readEnvelopeBlocking() throws -> Envelope? {
        guard let header = try read(4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard let body = try read(length) else { return nil }
        return try Envelope(protobuf: body)
    }

    private func read(_ count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + filled, count - filled, 0) }
            if n == 0 { return nil }
            if n < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            filled += n
        }
        return bytes
    }
}

func frame(_ envelope: Envelope) -> [UInt8] {
    let body = envelope.protobuf()
    let length = UInt32(body.count)
    return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
}
