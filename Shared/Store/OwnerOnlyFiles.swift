import PosternRPC

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A database file and its companions readable and writable by their owner only. The database
/// is created 0600 before SQLite opens it — SQLite gives the `-wal` and `-shm` files it creates
/// the database's mode — and existing files that group or others may read or write (made by an
/// older build or under a loose umask) lose those bits.
enum OwnerOnlyFiles {
    static func prepare(database path: String, what: String) throws(StartupError) {
        try restrict(path, what: what, create: true)
        for companion in [path + "-wal", path + "-shm"] { try restrict(companion, what: what, create: false) }
    }

    private static func restrict(_ path: String, what: String, create: Bool) throws(StartupError) {
        let descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT : 0), 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT && !create { return }
            if code == ELOOP { throw StartupError("\(what) \(path) is a symbolic link; give the file's own path") }
            throw StartupError("cannot open \(what) \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StartupError("cannot read the mode of \(what) \(path): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o7777
        guard mode & 0o077 != 0 || mode & 0o600 != 0o600 else { return }
        guard fchmod(descriptor, (mode & ~0o077) | 0o600) == 0 else {
            throw StartupError("cannot make \(what) \(path) readable by its owner only: \(String(cString: strerror(errno)))")
        }
    }
}
