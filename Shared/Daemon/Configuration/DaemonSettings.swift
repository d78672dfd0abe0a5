import Logging
import PosternProtocol
import PosternRPC
import PosternWire
import PosternHashing

/// Everything an operator can set for one daemon, after the file, the environment and the
/// command line have been read. `docs/configuration.md` lists every key and its default; the
/// server's defaults are `RPCServerConfiguration`'s own.
public struct DaemonSettings: Sendable {
    /// Socket, access policy, limits and grace period.
    public var server: RPCServerConfiguration
    /// Event loop threads; nil for one per CPU (NIO's shared group).
    public var eventLoopThreads: Int?
    public var logLevel: Logger.Level = .info
    /// Password hashing: algorithm, parameters, threads and queue.
    public var hashing = HashingSettings()
    /// How long a flow session's failed password attempts are remembered after the last one.
    public var failedAttemptsExpiry: Duration = .seconds(3600)
    /// The file holding the app-password key; nil for `$CREDENTIALS_DIRECTORY/app-password.key`
    /// under systemd, else `/etc/postern/app-password.key` (`appPasswordKeyPath`).
    public var appPasswordKeyFile: String?
    /// The file holding postern-history's pepper; nil for `$CREDENTIALS_DIRECTORY/history-pepper.key`
    /// under systemd, else `/etc/postern/history-pepper.key` (`historyPepperPath`).
    public var historyPepperFile: String?
    /// postern-history: retired peppers, whose entries are still checked (rotation).
    public var historyRetiredPepperFiles: [String] = []
    /// postern-history: how long a pending entry waits for its Confirm.
    public var historyPendingExpiry: Duration = .seconds(86400)
    /// postern-password: postern-history's socket, where every password set is recorded; nil
    /// for no history (docs/history.md "The record path").
    public var historySocket: String?
    /// postern-password: how long one call to postern-history may take.
    public var historyTimeout: Duration = .seconds(10)
    /// postern-password: how often unconfirmed history records are retried.
    public var historyRetryInterval: Duration = .seconds(30)
    /// Where the daemon keeps its database; created (mode 0700) if missing.
    public var stateDirectory: String
    /// Serves `postern.diagnostics.v1.Diagnostics` (a Sleep method) for tests. Never in production.
    public var diagnostics = false
    /// Tests only, with `diagnostics`: postern-password pauses this long between a password
    /// set's steps, so a test can kill a daemon there.
    public var diagnosticPauseAfterHistoryRecord: Duration = .zero
    public var diagnosticPauseAfterPasswordCommit: Duration = .zero

    /// The app-password key file this daemon reads, given its environment.
    public func appPasswordKeyPath(environment: [String: String]) -> String {
        SecretKeyFile.path(configured: appPasswordKeyFile, credential: "app-password.key", environment: environment)
    }

    /// The history pepper file this daemon reads, given its environment.
    public func historyPepperPath(environment: [String: String]) -> String {
        SecretKeyFile.path(configured: historyPepperFile, credential: "history-pepper.key", environment: environment)
    }

    /// The defaults for `identity`.
    public init(defaultsFor identity: DaemonIdentity) {
        server = RPCServerConfiguration(socketPath: identity.defaultSocketPath)
        stateDirectory = identity.defaultStateDirectory
    }
}
