import PosternDaemon
import PosternProtocol

/// `postern-history` as a daemon: its identity and the services it serves. Its own service
/// arrives with its issue; until then it serves Health.
public enum HistoryDaemon {
    public static let description = DaemonDescription(identity: .history) { _ in [] }
}
