#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PosternProtocol
import PosternRPC
import PosternWire

/// Socket activation (sd_listen_fds(3)): systemd, or `systemd-socket-activate`, created and
/// bound the listening socket and passed it as fd 3 onwards, saying so in LISTEN_FDS,
/// LISTEN_PID and LISTEN_FDNAMES.
enum SystemdSocketActivation {
    /// The first descriptor systemd passes (SD_LISTEN_FDS_START).
    static let firstDescriptor: Int32 = 3

    struct Listener {
        let descriptor: Int32
        /// The socket's path, as the kernel reports it.
        let path: String
    }

    /// The listening socket meant for `identity`, or nil when the daemon was not
    /// socket-activated. With several sockets, the one whose name (LISTEN_FDNAMES) is
    /// `postern-<name>`, `postern-<name>.socket` or `<name>`.
    static func listener(
        for identity: DaemonIdentity, environment: [String: String]
    ) throws(StartupError) -> Listener? {
        guard let countText = environment["LISTEN_FDS"] else { return nil }
        // Variables for another process (inherited through a fork) are not ours.
        guard environment["LISTEN_PID"] == String(getpid()) else { return nil }
        guard let count = Int32(countText), count >= 1, count <= 1024 else {
            throw StartupError("LISTEN_FDS is \"\(countText)\"; expected the number of sockets systemd passed")
        }
        for descriptor in firstDescriptor..<(firstDescriptor + count) {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let descriptor: Int32
        if count == 1 {
            descriptor = firstDescriptor
        } else {
            let names = (environment["LISTEN_FDNAMES"] ?? "").split(separator: ":", omittingEmptySubsequences: false)
            let wanted = [identity.executableName, identity.executableName + ".socket", identity.rawValue]
            guard let index = names.firstIndex(where: { wanted.contains(String($0)) }), index < Int(count) else {
                throw StartupError(
                    "systemd passed \(count) sockets named \"\(names.joined(separator: ":"))\"; none is named "
                        + wanted.joined(separator: " or ") + " (set FileDescriptorName=)")
            }
            descriptor = firstDescriptor + Int32(index)
        }
        try checkIsListeningUnixStream(descriptor)
        return Listener(descriptor: descriptor, path: path(of: descriptor))
    }

    private static func checkIsListeningUnixStream(_ descriptor: Int32) throws(StartupError) {
        func option(_ name: Int32) -> Int32? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        guard let domain = option(SO_DOMAIN) else {
            throw StartupError("systemd's fd \(descriptor) is not a socket: \(String(cString: strerror(errno)))")
        }
        guard domain == AF_UNIX, option(SO_TYPE) == Int32(SOCK_STREAM.rawValue) else {
            throw StartupError("systemd's fd \(descriptor) is not a Unix stream socket (use ListenStream=/path)")
        }
        guard option(SO_ACCEPTCONN) == 1 else {
            throw StartupError("systemd's fd \(descriptor) is not listening (Accept=no is required)")
        }
    }

    private static func path(of descriptor: Int32) -> String {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return "fd \(descriptor)" }
        return withUnsafeBytes(of: address.sun_path) { bytes in
            let pathBytes = bytes.prefix(while: { $0 != 0 })
            return pathBytes.isEmpty ? "fd \(descriptor)" : String(decoding: pathBytes, as: UTF8.self)
        }
    }
}
