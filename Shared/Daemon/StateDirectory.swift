import Logging
import PosternRPC
import PosternWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The directory a daemon keeps its database in.
public enum StateDirectory {
    /// Creates `path` if missing (missing parents 0755, the directory itself 0700: it holds
    /// password hashes) and checks that the daemon can write there. A directory others may
    /// write to (where one could swap the database for theirs) is logged as a warning; a
    /// sticky one shared with others is no better for a database. Returns `path`.
    @discardableResult
    public static func prepare(_ path: String, logger: Logger) throws(StartupError) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            components.append(component)
            let prefix = "/" + components.joined(separator: "/")
            let isLast = components.count == path.split(separator: "/").count
            if mkdir(prefix, isLast ? 0o700 : 0o755) != 0 && errno != EEXIST {
                throw StartupError("cannot create the state directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StartupError("cannot use the state directory \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StartupError("the state directory \(path) is not a directory")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw StartupError("cannot write to the state directory \(path): \(String(cString: strerror(errno)))")
        }
        let mode = UInt32(status.st_mode) & 0o7777
        if mode & 0o022 != 0 {
            logger.warning(
                "state directory writable by others; run chmod 0700 on it",
                metadata: ["path": "\(path)", "mode": "0\(String(mode, radix: 8))"])
        }
        return path
    }
}
