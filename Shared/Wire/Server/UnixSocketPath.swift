#if canImport(Glibc)
import PosternRPC
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Makes a socket path ready to bind: its parent directory exists and no other user can swap
/// what is in it, a stale socket file left by a daemon that died is removed, and a live daemon
/// already listening there is never displaced.
///
/// The socket is bound in a private directory beside its path (`Staging`), given its mode and
/// group there, and linked into place: no moment exists at which the path names a socket
/// whose mode is not yet set, and nothing is changed through a path another user could point
/// elsewhere (a symlink swapped in between `bind` and `chmod` once made a root-only file 0666).
enum UnixSocketPath {
    /// The longest path `sockaddr_un` holds, without its terminating NUL.
    static let maximumLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    static func prepare(_ path: String) throws(StartupError) {
        guard !path.isEmpty else { throw StartupError("the socket path is empty") }
        guard path.utf8.count <= maximumLength else {
            throw StartupError("socket path \(path) is \(path.utf8.count) bytes; a Unix socket path holds at most \(maximumLength)")
        }
        try createParentDirectory(of: path)
        try refuseSharedDirectory(of: path)

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

    /// A directory beside the socket's path, created 0700 for the daemon alone, to bind in.
    struct Staging {
        let directory: String
        /// Where the socket is bound before it is moved into place.
        var socket: String { directory + "/s" }

        init(beside path: String) throws(StartupError) {
            let parent = UnixSocketPath.parent(of: path)
            var template = Array((parent + "/.postern-XXXXXX").utf8CString)
            guard template.count - 1 + 2 <= UnixSocketPath.maximumLength else {
                throw StartupError(
                    "socket path \(path) leaves no room to bind safely beside it; "
                        + "use a directory path at most \(UnixSocketPath.maximumLength - 17) bytes long")
            }
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw StartupError("cannot create a private directory in \(parent) to bind the socket: \(describeErrno())")
            }
            directory = String(cString: made)
        }

        /// Gives the bound socket its mode and group, then links it at `path`: a link neither
        /// follows nor replaces what is there, so a daemon or file that appeared at `path`
        /// since `prepare` is never displaced.
        func moveIntoPlace(_ path: String, mode: UInt32, group: UInt32?) throws(StartupError) {
            try UnixSocketPath.setPermissions(of: socket, mode: mode, group: group)
            guard link(socket, path) == 0 else {
                let code = errno
                if code == EEXIST {
                    throw StartupError("\(path) appeared while this daemon was starting; another process or user created it")
                }
                throw StartupError("cannot put the socket in place at \(path): \(describeErrno(code))")
            }
        }

        /// Removes the private directory and anything left in it.
        func remove() {
            unlink(socket)
            rmdir(directory)
        }
    }

    /// Refuses a socket directory another user could write to — where they could replace the
    /// socket with their own or a symlink — unless it is sticky and owned by the daemon's user
    /// or root (then nobody else can rename or remove the daemon's socket).
    static func refuseSharedDirectory(of path: String) throws(StartupError) {
        let parent = parent(of: path)
        var status = stat()
        guard stat(parent, &status) == 0 else {
            throw StartupError("cannot inspect the socket directory \(parent): \(describeErrno())")
        }
        let mode = UInt32(status.st_mode) & 0o7777
        let ours = status.st_uid == geteuid() || status.st_uid == 0
        let sticky = mode & UInt32(S_ISVTX) != 0
        if !ours {
            throw StartupError(
                "the socket directory \(parent) belongs to uid \(status.st_uid), who could replace the socket; "
                    + "use a directory owned by this daemon's user or root (systemd's RuntimeDirectory=)")
        }
        if mode & 0o022 != 0 && !sticky {
            throw StartupError(
                "the socket directory \(parent) has mode 0\(String(mode, radix: 8)): other users could replace the socket; "
                    + "run chmod go-w \(parent), or use a sticky directory (chmod +t)")
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Gives the socket file its mode and, when set, its group. Only for a socket in a
    /// directory nobody else can write (`Staging`): `chown` and `chmod` follow symlinks.
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
