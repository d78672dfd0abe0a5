import PosternRPC
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PeerCredentials {
    /// The credentials of the process at the other end of a Unix-socket `channel`, read with
    /// SO_PEERCRED, and its supplementary groups, read with SO_PEERGROUPS. Groups the kernel
    /// cannot report (more than `LinuxPeerGroups` holds) leave the list empty: such a caller is
    /// judged by its uid and primary gid, so a failure here can only refuse, never let in.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(PeerCredentialsUnavailable())
        }
        let credentials: EventLoopFuture<LinuxUCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        let groups: EventLoopFuture<[UInt32]> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERGROUPS)
        ).map { (list: LinuxPeerGroups) in list.groups }.recover { _ in [] }
        return credentials.and(groups).map { credentials, groups in
            PeerCredentials(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid, groups: groups)
        }
    }
}

/// Linux's `struct ucred` (pid_t pid; uid_t uid; gid_t gid), which Glibc's module does not
/// export without _GNU_SOURCE.
struct LinuxUCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Room for SO_PEERGROUPS's answer: up to 256 gids. NIO reads a socket option into zeroed
/// memory of the value's size and does not return the length the kernel wrote, so the
/// unwritten rest reads as gid 0 — which is why `groups` leaves gid 0 out: a zero here cannot
/// be told from padding, and an entry that might be padding must never grant anything.
struct LinuxPeerGroups: Sendable {
    var first = SIMD64<UInt32>(), second = SIMD64<UInt32>(), third = SIMD64<UInt32>(), fourth = SIMD64<UInt32>()

    /// The nonzero gids, ascending, without repeats.
    var groups: [UInt32] {
        var gids: [UInt32] = []
        for part in [first, second, third, fourth] {
            for index in part.indices where part[index] != 0 { gids.append(part[index]) }
        }
        return Array(Set(gids)).sorted()
    }
}

/// The channel is not a socket whose peer credentials can be read.
struct PeerCredentialsUnavailable: Error {}
