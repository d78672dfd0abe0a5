import PosternProtocol

/// Which callers may call which class of method.
///
/// Every method belongs to one class or a few (`MethodAccess`); Health is `open` to anyone who can connect. For the
/// other classes a caller is let in when its uid, its primary gid (as SO_PEERCRED reports
/// them) or one of its supplementary groups (SO_PEERGROUPS) is granted the class, or when it
/// is root and `rootMayCallEverything` holds.
public struct AccessPolicy: Equatable, Sendable {
    /// The uids and gids granted one class.
    public struct Grant: Equatable, Sendable {
        public var uids: Set<UInt32>
        public var gids: Set<UInt32>

        public init(uids: Set<UInt32> = [], gids: Set<UInt32> = []) {
            self.uids = uids
            self.gids = gids
        }
    }

    public var grants: [Postern.V1.Access: Grant]
    public var rootMayCallEverything: Bool

    public init(grants: [Postern.V1.Access: Grant] = [:], rootMayCallEverything: Bool = true) {
        self.grants = grants
        self.rootMayCallEverything = rootMayCallEverything
    }

    /// The default: root may call everything, everyone else only `open` methods.
    public static let rootOnly = AccessPolicy()

    /// Whether `peer` may call a method open to any class of `access`.
    public func permits(_ peer: PeerCredentials, toCall access: MethodAccess) -> Bool {
        access.classes.contains { grants(peer, methodClass: $0) }
    }

    /// How much of a server's connections `peer` may use (docs/server.md, "Who gets a
    /// connection"): a caller that logs users in (`verify`) or is another Postern daemon
    /// (`peer`), or root, may use the reserve; one granted anything else beyond Health all but
    /// the reserve; one granted nothing beyond Health only a small shared share.
    public func standing(of peer: PeerCredentials) -> ConnectionStanding {
        if rootMayCallEverything && peer.uid == 0 { return .reserved }
        if grants(peer, methodClass: .verify) || grants(peer, methodClass: .peer) { return .reserved }
        let granted = grants.contains { methodClass, _ in methodClass != .open && grants(peer, methodClass: methodClass) }
        return granted ? .granted : .ungranted
    }

    private func grants(_ peer: PeerCredentials, methodClass: Postern.V1.Access) -> Bool {
        if methodClass == .open { return true }
        if rootMayCallEverything && peer.uid == 0 { return true }
        guard let grant = grants[methodClass] else { return false }
        return grant.uids.contains(peer.uid) || grant.gids.contains(peer.gid) || peer.groups.contains(where: grant.gids.contains)
    }
}

/// Which of a server's connections a caller may take (`AccessPolicy.standing(of:)`).
public enum ConnectionStanding: Sendable, Equatable {
    /// Granted nothing beyond Health: a small share of connections, small frames.
    case ungranted
    /// Granted some class beyond Health: any connection but the reserved ones.
    case granted
    /// Logs users in, or is another Postern daemon, or root: the reserved ones too.
    case reserved
}
