import Foundation

/// A datagram socket standing in for systemd's NOTIFY_SOCKET: what a daemon sends with
/// sd_notify arrives here. Reads block on a Dispatch thread, never the test's cooperative pool.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonFailure("socket(AF_UNIX, SOCK_DGRAM) failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw DaemonFailure("cannot bind the notify socket \(path)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// The next datagram, or nil if none arrives within `timeout`.
    func receive(timeout: Duration = .seconds(20)) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [descriptor] in
                let deadline = ContinuousClock.now + timeout
                var buffer = [UInt8](repeating: 0, count: 4096)
                while ContinuousClock.now < deadline {
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        continuation.resume(returning: String(decoding: buffer[..<count], as: UTF8.self))
                        return
                    }
                }
                continuation.resume(returning: nil)
            }
        }
    }
}
