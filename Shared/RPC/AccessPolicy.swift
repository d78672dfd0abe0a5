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

    /// Whether `peer` may call anything beyond `open` methods (Health): such a peer gets the
    /// server's full connection budget, one that may not only the small shared one.
    public func grantsBeyondOpen(_ peer: PeerCredentials) -> Bool {
        if rootMayCallEverything && peer.uid == 0 { return true }
        return grants.contains { methodClass, _ in methodClass != .open && grants(peer, methodClass: methodClass) }
    }

    private func grants(_ peer: PeerCredentials, methodClass: Postern.V1.Access) -> Bool {
        if methodClass == .open { return true }
        if rootMayCallEverything && peer.uid == 0 { return true }
        guard let grant = grants[methodClass] else { return false }
        return grant.uids.contains(peer.uid) || grant.gids.contains(peer.gid) || peer.groups.contains(where: grant.gids.contains)
    }
}
