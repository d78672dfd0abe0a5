import Logging
import PosternWire

/// What some policy types need beyond their settings: the other daemons they ask. Given to a
/// type when a policy is checked and when it is compiled, so a policy that needs a daemon
/// postern-policy has no connection to is refused at creation, and stops the daemon from
/// starting if it is already stored.
public struct PolicyDependencies: Sendable {
    /// postern-history (`history.socket`), for password uniqueness policies.
    public var history: PeerClient?
    /// postern-password (`password.socket`), for password expiry policies.
    public var password: PeerClient?
    /// Where a policy logs what its answer does not say (postern-history unreachable).
    public var logger: Logger

    public init(
        history: PeerClient? = nil, password: PeerClient? = nil,
        logger: Logger = Logger(label: "postern-policy", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.history = history
        self.password = password
        self.logger = logger
    }

    public static let none = PolicyDependencies()
}
