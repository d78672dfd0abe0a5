import PosternDaemon
import PosternProtocol

/// `postern-password` as a daemon: its identity and the services it serves. Its own service
/// arrives with its issue; until then it serves Health.
public enum PasswordDaemon {
    public static let description = DaemonDescription(identity: .password, services: [])
}
