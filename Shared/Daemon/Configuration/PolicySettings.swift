import PosternRPC

/// postern-policy's settings: so far only the ones every daemon has.
public struct PolicySettings: ConfiguredSettings {
    public static let identity = DaemonIdentity.policy
    public var daemon = DaemonSettings(defaultsFor: identity)

    public init() {}
}
