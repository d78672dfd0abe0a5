#if canImport(Glibc)
import PosternRPC
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Makes a socket path ready to bind: its parent directory exists, a stale socket file left by
/// a daemon that died is removed, and a live daemon already listening there is never displaced.
enum UnixSocketPath {
    /// The longest path `sockaddr_un` holds, without its terminating NUL.
    static let maximumLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    static func prepare(_ path: String) throws(StartupError) {
        guard !path.isEmpty else { throw StartupError("the socket path is empty") }
        guard path.utf8.count <= maximumLength else {
            throw StartupError("socket path \(path) is \(path.utf8.count) bytes; a Unix socket path holds at most \(maximumLength)")
        }
        try createParentDirectory(of: path)

        var status = stat()
        guard lstat(path, &status) == 0 else { return }  // nothing there
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw StartupError("\(path) exists and is not a socket; remove it or choose another socket path")
        }
        if someoneListens(at: path) {
            throw StartupError("another process is already listening on \(path); stop it or choose another socket path")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StartupError("cannot remove the stale socket file \(path): \(describeErrno())")
        }
    }

    /// Gives the socket file its mode and, when set, its group.
    static func setPermissions(of path: String, mode: UInt32, group: UInt32?) throws(StartupError) {
        if let group, chown(path, uid_t.max, gid_t(group)) != 0 {
            throw StartupError("cannot give the socket \(path) group \(group): \(describeErrno())")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw StartupError("cannot set the mode of the socket \(path) to \(String(mode, radix: 8)): \(describeErrno())")
        }
    }

    /// True when a connection to `path` succeeds: a live server owns it.
    static func someoneListens(at path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { destination in
            let bytes = Array(path.utf8.prefix(destination.count - 1))
            destination.copyBytes(from: bytes)
        }
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result != 0 && errno == EINTR
        return result == 0
    }

    private static func createParentDirectory(of path: String) throws(StartupError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let parent = String(path[..<slash])
        var current = parent.hasPrefix("/") ? "" : "."
        for component in parent.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw StartupError("cannot create directory \(current) for the socket: \(describeErrno())")
            }
        }
        var status = stat()
        guard stat(parent, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw StartupError("\(parent) is not a directory; cannot place the socket \(path) in it")
        }
    }

    static func describeErrno(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
