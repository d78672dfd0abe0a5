/// Who is on the other end of a connection, as the kernel reports it (SO_PEERCRED): the
/// process's effective uid and gid and its pid when it connected. Cannot be forged by the
/// client.
public struct PeerCredentials: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    public var description: String { "uid \(uid) gid \(gid) pid \(pid)" }
}
