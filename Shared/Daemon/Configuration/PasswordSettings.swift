import PosternHashing
import PosternRPC

/// postern-password's settings.
public struct PasswordSettings: HashingConfigured {
    public static let identity = DaemonIdentity.password
    public var daemon = DaemonSettings(defaultsFor: identity)
    /// Password hashing: algorithm, parameters, threads and queue.
    public var hashing = HashingSettings()
    /// How long a flow session's failed password attempts are remembered after the last one.
    public var failedAttemptsExpiry: Duration = .seconds(3600)
    /// The file holding the app-password key; nil for `$CREDENTIALS_DIRECTORY/app-password.key`
    /// under systemd, else `/etc/postern/app-password.key` (`appPasswordKeyPath`).
    public var appPasswordKeyFile: String?
    /// postern-history's socket, where every password set is recorded; nil for no history
    /// (docs/history.md "The record path").
    public var historySocket: String?
    /// How long one call to postern-history may take.
    public var historyTimeout: Duration = .seconds(10)
    /// How often unconfirmed history records are retried.
    public var historyRetryInterval: Duration = .seconds(30)
    /// Blueprints applied at start (docs/blueprints.md "At start"); nil: none.
    public var blueprintsDirectory: String? = "/etc/postern/blueprints"
    /// Tests only, with `diagnostics`: pauses between a password set's steps, so a test can
    /// kill the daemon there.
    public var diagnosticPauseAfterHistoryRecord: Duration = .zero
    public var diagnosticPauseAfterPasswordCommit: Duration = .zero

    public init() {}

    /// The app-password key file this daemon reads, given its environment.
    public func appPasswordKeyPath(environment: [String: String]) -> String {
        SecretKeyFile.path(configured: appPasswordKeyFile, credential: "app-password.key", environment: environment)
    }
}
