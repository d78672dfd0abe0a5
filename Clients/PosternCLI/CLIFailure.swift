import ArgumentParser
import PosternClient

#if canImport(Glibc)
import Glibc
#endif

/// `postern`'s exit statuses (docs/cli.md; `postern --help` lists them).
enum ExitStatus {
    /// The daemon refused or could not do what was asked; the message names its status.
    static let failed: Int32 = 1
    /// A negative answer where one is expected: `auth` invalid, `history check` reused.
    static let negative: Int32 = 2
    /// `auth`: the flow was cancelled (too many failed attempts).
    static let cancelled: Int32 = 3
    /// A usage error (sysexits EX_USAGE); swift-argument-parser's own.
    static let usage: Int32 = 64
    /// The daemon is not running, not reachable, or did not answer in time (EX_UNAVAILABLE).
    static let unavailable: Int32 = 69
    /// The socket or the method is not open to this user (EX_NOPERM).
    static let permissionDenied: Int32 = 77

    static let summary = """
        Exit status: 0 done; 1 the daemon refused (its status name says why); 2 a negative \
        answer (auth: invalid secret; history check: reused); 3 auth: flow cancelled; 64 usage \
        error; 69 daemon not running, unreachable or not answering in time; 77 permission denied.
        """

    /// The status for a daemon's refusal of a call.
    static func of(_ error: RPCError) -> Int32 {
        switch error.code {
        case .unavailable, .deadlineExceeded: unavailable
        case .permissionDenied: permissionDenied
        default: failed
        }
    }
}

func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A connection to `daemon`, closed after `body`. Every failure is printed in plain words on
/// stderr, with the fix where there is one, and exits with its `ExitStatus`: nothing listening,
/// a socket the user may not open, a path served by another daemon, no answer within the
/// deadline, or the daemon's refusal (`postern: STATUS: message`).
func withDaemon<T>(
    _ daemon: DaemonIdentity, _ sockets: some DaemonSockets, _ body: (RPCClient) async throws(RPCError) -> T
) async throws -> T {
    let path = sockets.socketPath(of: daemon)
    let client: RPCClient
    do {
        client = try await RPCClient.connect(to: path, connectTimeout: sockets.deadline, callTimeout: sockets.deadline)
    } catch {
        throw fail(connecting: daemon, at: path, error)
    }
    do {
        let result = try await body(client)
        await client.close()
        return result
    } catch {
        let failure = await fail(calling: daemon, at: path, error, on: client, within: sockets.timeout)
        await client.close()
        throw failure
    }
}

/// A connection to postern-password.
func withPasswordDaemon<T>(_ sockets: some DaemonSockets, _ body: (RPCClient) async throws(RPCError) -> T) async throws -> T {
    try await withDaemon(.password, sockets, body)
}

private func fail(connecting daemon: DaemonIdentity, at path: String, _ error: RPCError) -> ExitCode {
    let name = daemon.executableName
    switch error.code {
    case .permissionDenied:
        printError("postern: permission denied on \(path): add your user to the socket's group (postern by default), or run as root")
        return ExitCode(ExitStatus.permissionDenied)
    case .deadlineExceeded:
        printError("postern: \(name) at \(path) did not accept the connection in time; is it overloaded or stopped? (systemctl status \(name))")
        return ExitCode(ExitStatus.unavailable)
    default:
        printError(
            "postern: \(name) is not running at \(path) (\(error.message)); start it (systemctl start \(name).socket) "
                + "or point to it with \(daemon.socketEnvironmentVariable) or --\(daemon.socketFlag)")
        return ExitCode(ExitStatus.unavailable)
    }
}

private func fail(
    calling daemon: DaemonIdentity, at path: String, _ error: RPCError, on client: RPCClient, within seconds: Double
) async -> ExitCode {
    let name = daemon.executableName
    switch error.code {
    case .deadlineExceeded:
        printError("postern: \(name) at \(path) did not answer within \(seconds) s; raise --timeout, or check the daemon (systemctl status \(name))")
        return ExitCode(ExitStatus.unavailable)
    case .unimplemented:
        // A method the daemon does not serve: most often a socket of another daemon.
        if let answer = try? await client.checkHealth(timeout: .seconds(2)), answer.daemon != name {
            let other = answer.daemon.isEmpty ? "another program" : answer.daemon
            printError("postern: \(path) is served by \(other), not \(name); give \(name)'s socket with --\(daemon.socketFlag) or \(daemon.socketEnvironmentVariable)")
            return ExitCode(ExitStatus.unavailable)
        }
    case .permissionDenied:
        printError("postern: \(error.code.name): \(error.message) (grant this user the method's class in \(name)'s access.* settings, or run as root)")
        return ExitCode(ExitStatus.permissionDenied)
    default:
        break
    }
    printError("postern: \(error.code.name): \(error.message)")
    return ExitCode(ExitStatus.of(error))
}

extension DaemonIdentity {
    /// The command-line flag naming this daemon's socket, without its dashes.
    var socketFlag: String { "\(rawValue)-socket" }
}
