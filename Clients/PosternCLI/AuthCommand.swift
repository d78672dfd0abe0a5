import ArgumentParser
import Foundation
import PosternClient

/// `postern auth`: one login through a password stage, as an IdP would make it. The secret
/// comes from the terminal (not echoed) or standard input. Exit status 0 only when
/// authenticated; 2 for a refused secret, 3 when the flow is cancelled (docs/cli.md).
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Check a user's secret through a password stage.")
    @OptionGroup var sockets: PasswordSockets
    @Option(help: "The password stage.") var stage: String
    @Option(help: "The user's username.") var user: String
    @Option(help: "The flow session the attempt counts against (default: a new one).")
    var flowSession: String = "cli-" + UUID().uuidString.lowercased()

    func run() async throws {
        var input = SecretInput()
        let secret = try input.read("Password")
        let request = Postern.Password.V1.AuthenticateRequest(
            stage: stage, flowSession: flowSession, username: user, secret: secret, clientAddress: "postern-cli")
        let answer = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.authenticate(request) }
        switch answer.outcome {
        case .authenticated:
            print("authenticated \(answer.username) (\(answer.userID)) by \(answer.backend), method \(answer.method)")
        case .cancel:
            print("\(answer.message): too many attempts, flow cancelled")
            throw ExitCode(ExitStatus.cancelled)
        default:
            print("\(answer.message) (\(answer.attemptsLeft) attempts left in flow session \(flowSession))")
            throw ExitCode(ExitStatus.negative)
        }
    }
}
