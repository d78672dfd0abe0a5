import ArgumentParser
import PosternClient

/// `postern health`: asks each daemon whether it is serving; one line per daemon; exits 1
/// unless every one answers SERVING and is the daemon it should be.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that all three daemons are serving.")

    @OptionGroup var sockets: AllSockets
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var results: [Result] = []
        for daemon in DaemonIdentity.allCases {
            results.append(await check(daemon, at: sockets.socketPath(of: daemon)))
        }
        try output.emit(
            ["daemons": results],
            human: results.map { "\($0.daemon.padding(toLength: 17, withPad: " ", startingAt: 0)) \($0.line)" }.joined(separator: "\n"))
        if !results.allSatisfy(\.serving) { throw ExitCode(ExitStatus.failed) }
    }

    /// One daemon's answer (`--json`: daemon, socket, status, serving, version, detail).
    struct Result: Encodable {
        var daemon, socket, status: String
        var serving: Bool
        var version: String?
        var detail: String?

        var line: String {
            if let detail { return "\(status)  \(detail)" }
            return "\(status)  \(socket)  version \(version ?? "?")"
        }
    }

    /// Whether `daemon` at `path` is serving, and what it said.
    private func check(_ daemon: DaemonIdentity, at path: String) async -> Result {
        let name = daemon.executableName
        let client: RPCClient
        do {
            client = try await RPCClient.connect(to: path, connectTimeout: sockets.deadline, callTimeout: sockets.deadline)
        } catch {
            return Result(daemon: name, socket: path, status: error.code.name, serving: false, detail: error.message)
        }
        let answer: Postern.Health.V1.HealthCheckResponse
        do {
            answer = try await client.checkHealth(timeout: sockets.deadline)
            await client.close()
        } catch {
            await client.close()
            return Result(daemon: name, socket: path, status: error.code.name, serving: false, detail: error.message)
        }
        guard answer.daemon == name else {
            return Result(
                daemon: name, socket: path, status: "WRONG DAEMON", serving: false,
                detail: "\(path) is served by \(answer.daemon.isEmpty ? "an unnamed daemon" : answer.daemon)")
        }
        return Result(
            daemon: name, socket: path, status: answer.status.protoValueName, serving: answer.status == .serving,
            version: answer.version)
    }
}
