import PosternHashing
import PosternRPC

/// postern-history's settings.
public struct HistorySettings: HashingConfigured {
    public static let identity = DaemonIdentity.history
    public var daemon = DaemonSettings(defaultsFor: identity)
    /// New entries' Argon2id parameters, threads and queue (`hash.algorithm` is not read).
    public var hashing = HashingSettings()
    /// The file holding the pepper; nil for `$CREDENTIALS_DIRECTORY/history-pepper.key` under
    /// systemd, else `/etc/postern/history-pepper.key` (`pepperPath`).
    public var pepperFile: String?
    /// Retired peppers, whose entries are still checked (rotation).
    public var retiredPepperFiles: [String] = []
    /// How long a pending entry waits for its Confirm.
    public var pendingExpiry: Duration = .seconds(86400)
    /// How long a Check's reservation waits for the Record that uses it.
    public var reservationExpiry: Duration = .seconds(300)

    public init() {}

    /// The pepper file this daemon reads, given its environment.
    public func pepperPath(environment: [String: String]) -> String {
        SecretKeyFile.path(configured: pepperFile, credential: "history-pepper.key", environment: environment)
    }
}
