import PosternRPC

/// postern-policy's settings: the ones every daemon has, and its connection to postern-history
/// (for password uniqueness policies).
public struct PolicySettings: ConfiguredSettings {
    public static let identity = DaemonIdentity.policy
    public var daemon = DaemonSettings(defaultsFor: identity)
    /// postern-history's socket; nil (`off`): no uniqueness policies.
    public var historySocket: String?
    public var historyTimeout: Duration = .seconds(10)
    /// How often the retention is set again.
    public var historyRetryInterval: Duration = .seconds(30)
    /// Blueprints applied at start (docs/blueprints.md "At start"); nil: none.
    public var blueprintsDirectory: String? = "/etc/postern/blueprints"
    /// postern-password's socket; nil (`off`): no password expiry policies.
    public var passwordSocket: String?
    public var passwordTimeout: Duration = .seconds(10)

    public init() {}
}
