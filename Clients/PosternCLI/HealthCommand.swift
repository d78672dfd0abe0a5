import ArgumentParser
import PosternClient

/// `postern health`: asks each daemon whether it is serving; one line per daemon; exits 1
/// unless every one answers SERVING and is the daemon it should be.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that all three daemons are serving.")

    @OptionGroup var sockets: AllSockets

    func run() async throws {
        var allServing = true
        for daemon in DaemonIdentity.allCases {
            let path = sockets.socketPath(of: daemon)
            let (serving, detail) = await check(daemon, at: path)
            allServing = allServing && serving
            print("\(daemon.executableName.padding(toLength: 17, withPad: " ", startingAt: 0)) \(detail)")
        }
        if !allServing { throw ExitCode(1) }
    }

    /// Whether `daemon` at `path` is serving, and the line that says so.
    private func check(_ daemon: DaemonIdentity, at path: String) async -> (Bool, String) {
        let client: RPCClient
        do {
            client = try await RPCClient.connect(to: path, connectTimeout: sockets.deadline, callTimeout: sockets.deadline)
        } catch {
            return (false, "\(error.code.name)  \(error.message)")
        }
        let answer: Postern.Health.V1.HealthCheckResponse
        do {
            answer = try await client.checkHealth(timeout: sockets.deadline)
            await client.close()
        } catch {
            await client.close()
            return (false, "\(error.code.name)  \(error.message)")
        }
        guard answer.daemon == daemon.executableName else {
            return (false, "WRONG DAEMON  \(path) is served by \(answer.daemon.isEmpty ? "an unnamed daemon" : answer.daemon)")
        }
        return (answer.status == .serving, "\(answer.status)  \(path)  version \(answer.version)")
    }
}
