import ArgumentParser
import Foundation
import PosternClient

/// Where the three daemons listen: a flag each, else the daemon's environment variable, else
/// its default path — the same order the daemons themselves use.
struct SocketOptions: ParsableArguments {
    @Option(help: ArgumentHelp("postern-password's socket (default: $POSTERN_PASSWORD_SOCKET, else /run/postern/password.sock).", valueName: "path"))
    var passwordSocket: String?

    @Option(help: ArgumentHelp("postern-history's socket (default: $POSTERN_HISTORY_SOCKET, else /run/postern/history.sock).", valueName: "path"))
    var historySocket: String?

    @Option(help: ArgumentHelp("postern-policy's socket (default: $POSTERN_POLICY_SOCKET, else /run/postern/policy.sock).", valueName: "path"))
    var policySocket: String?

    func socketPath(of daemon: DaemonIdentity) -> String {
        let flag: String? =
            switch daemon {
            case .password: passwordSocket
            case .history: historySocket
            case .policy: policySocket
            }
        if let flag { return flag }
        if let fromEnvironment = ProcessInfo.processInfo.environment[daemon.socketEnvironmentVariable],
            !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        return daemon.defaultSocketPath
    }
}
