import PosternRPC
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a connection to a Unix socket failed, in plain words and as the status a caller acts on,
/// instead of NIO's own description.
enum ConnectFailure {
    static func describe(_ error: any Error, path: String) -> RPCError {
        if case .connectTimeout? = error as? ChannelError {
            return RPCError(code: .deadlineExceeded, message: "\(path) did not accept the connection in time")
        }
        switch errno(of: error) {
        case ENOENT:
            return RPCError(code: .unavailable, message: "no socket at \(path)")
        case ECONNREFUSED:
            return RPCError(code: .unavailable, message: "nothing is listening at \(path)")
        case EACCES, EPERM:
            return RPCError(code: .permissionDenied, message: "permission denied on \(path)")
        case ENOTDIR:
            return RPCError(code: .unavailable, message: "a component of \(path) is not a directory")
        case EAGAIN:
            return RPCError(code: .unavailable, message: "\(path) is not accepting connections now (its backlog is full)")
        case let code?:
            return RPCError(code: .unavailable, message: "cannot connect to \(path): \(String(cString: strerror(code)))")
        case nil:
            return RPCError(code: .unavailable, message: "cannot connect to \(path): \(error)")
        }
    }

    /// The errno behind a connection error, when NIO kept one.
    private static func errno(of error: any Error) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let code = errno(of: attempt.error) { return code }
            }
        }
        return nil
    }
}
