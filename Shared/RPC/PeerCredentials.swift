/// Who is on the other end of a connection, as the kernel reports it: the process's effective
/// uid and gid and its pid when it connected (SO_PEERCRED), and its supplementary groups then
/// (SO_PEERGROUPS). Cannot be forged by the client.
public struct PeerCredentials: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// Supplementary groups, ascending, without gid 0 (docs/wire.md says why); empty when the
    /// kernel could not report them.
    public var groups: [UInt32]

    public init(uid: UInt32, gid: UInt32, pid: Int32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups
    }

    public var description: String {
        "uid \(uid) gid \(gid)" + (groups.isEmpty ? "" : " groups \(groups.map(String.init).joined(separator: ","))") + " pid \(pid)"
    }
}
