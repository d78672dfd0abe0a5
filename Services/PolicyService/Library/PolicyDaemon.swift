import PosternDaemon
import PosternProtocol

/// `postern-policy` as a daemon: its identity and the services it serves. Its own service
/// arrives with its issue; until then it serves Health.
public enum PolicyDaemon {
    public static let description = DaemonDescription<PolicySettings> { _ in [] }
}
