import ArgumentParser
import Foundation
import PosternClient

/// The daemons a command talks to, and how long it waits for them: each command takes only the
/// socket options of the daemons it calls (docs/cli.md). A socket comes from its flag, else the
/// daemon's environment variable, else its default path — the order the daemons themselves use.
protocol DaemonSockets: ParsableArguments {
    /// The flag given for `daemon`'s socket, if any.
    func flag(for daemon: DaemonIdentity) -> String?
    /// Seconds to wait: for the connection, and for each answer.
    var timeout: Double { get }
}

extension DaemonSockets {
    func socketPath(of daemon: DaemonIdentity) -> String {
        if let flag = flag(for: daemon) { return flag }
        if let fromEnvironment = ProcessInfo.processInfo.environment[daemon.socketEnvironmentVariable],
            !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        return daemon.defaultSocketPath
    }

    var deadline: Duration { .milliseconds(Int((timeout * 1000).rounded())) }

    /// A timeout of 1 ms to an hour.
    static func check(timeout: Double) throws {
        guard timeout.isFinite, timeout >= 0.001, timeout <= 3600 else {
            throw ValidationError("--timeout must be between 0.001 and 3600 seconds, not \(timeout)")
        }
    }
}

private func socketHelp(_ daemon: DaemonIdentity) -> ArgumentHelp {
    ArgumentHelp(
        "\(daemon.executableName)'s socket (default: $\(daemon.socketEnvironmentVariable), else \(daemon.defaultSocketPath)).",
        valueName: "path")
}

private let timeoutHelp = ArgumentHelp("Seconds to wait for the daemon's answer.", valueName: "seconds")

/// postern-password only.
struct PasswordSockets: DaemonSockets {
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? { daemon == .password ? passwordSocket : nil }
    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-password, and postern-policy for a change flow's validation (`password set`, `change`).
struct PasswordChangeSockets: DaemonSockets {
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: socketHelp(.policy)) var policySocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? {
        switch daemon {
        case .password: passwordSocket
        case .policy: policySocket
        case .history: nil
        }
    }

    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-password and postern-policy, for blueprints: a longer default wait.
struct BlueprintSockets: DaemonSockets {
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: socketHelp(.policy)) var policySocket: String?
    @Option(help: ArgumentHelp("Seconds to wait for each daemon's answer.", valueName: "seconds")) var timeout: Double = 60

    func flag(for daemon: DaemonIdentity) -> String? {
        switch daemon {
        case .password: passwordSocket
        case .policy: policySocket
        case .history: nil
        }
    }

    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-password, for an import: a longer default wait.
struct PasswordImportSockets: DaemonSockets {
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 120

    func flag(for daemon: DaemonIdentity) -> String? { daemon == .password ? passwordSocket : nil }
    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-history only.
struct HistoryOnlySockets: DaemonSockets {
    @Option(help: socketHelp(.history)) var historySocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? { daemon == .history ? historySocket : nil }
    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-history, and postern-password to look a username up.
struct HistorySockets: DaemonSockets {
    @Option(help: socketHelp(.history)) var historySocket: String?
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? {
        switch daemon {
        case .history: historySocket
        case .password: passwordSocket
        case .policy: nil
        }
    }

    func validate() throws { try Self.check(timeout: timeout) }
}

/// postern-history for an import (and postern-password to look usernames up): a longer wait.
struct HistoryImportSockets: DaemonSockets {
    @Option(help: socketHelp(.history)) var historySocket: String?
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: timeoutHelp) var timeout: Double = 120

    func flag(for daemon: DaemonIdentity) -> String? {
        switch daemon {
        case .history: historySocket
        case .password: passwordSocket
        case .policy: nil
        }
    }

    func validate() throws { try Self.check(timeout: timeout) }
}

/// All three daemons (`postern health`).
struct AllSockets: DaemonSockets {
    @Option(help: socketHelp(.password)) var passwordSocket: String?
    @Option(help: socketHelp(.history)) var historySocket: String?
    @Option(help: socketHelp(.policy)) var policySocket: String?
    @Option(help: ArgumentHelp("Seconds to wait for each daemon's answer.", valueName: "seconds")) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? {
        switch daemon {
        case .password: passwordSocket
        case .history: historySocket
        case .policy: policySocket
        }
    }

    func validate() throws { try Self.check(timeout: timeout) }
}
