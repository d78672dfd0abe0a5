import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PeerCredentials {
    /// The credentials of the process at the other end of a Unix-socket `channel`, read with
    /// SO_PEERCRED.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(PeerCredentialsUnavailable())
        }
        let credentials: EventLoopFuture<LinuxUCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return credentials.map { PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid) }
    }
}

/// Linux's `struct ucred` (pid_t pid; uid_t uid; gid_t gid), which Glibc's module does not
/// export without _GNU_SOURCE.
struct LinuxUCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// The channel is not a socket whose peer credentials can be read.
struct PeerCredentialsUnavailable: Error {}
