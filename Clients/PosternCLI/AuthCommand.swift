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
    var flowSession: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let flowSession = self.flowSession ?? "cli-" + UUID().uuidString.lowercased()
        var input = SecretInput()
        let secret = try input.read("Password")
        let request = Postern.Password.V1.AuthenticateRequest(
            stage: stage, flowSession: flowSession, username: user, secret: secret, clientAddress: "postern-cli")
        let answer = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.authenticate(request) }
        let json = AuthJSON(
            outcome: answer.outcome == .authenticated ? "authenticated" : answer.outcome == .cancel ? "cancel" : "invalid",
            userId: answer.userID.isEmpty ? nil : answer.userID, username: answer.username.isEmpty ? nil : answer.username,
            backend: answer.backend.isEmpty ? nil : answer.backend, method: answer.method.isEmpty ? nil : answer.method,
            message: answer.message.isEmpty ? nil : answer.message,
            attemptsLeft: answer.outcome == .invalid ? answer.attemptsLeft : nil, flowSession: flowSession,
            mustChange: answer.mustChange)
        switch answer.outcome {
        case .authenticated:
            try output.emit(
                json,
                human: "authenticated \(answer.username) (\(answer.userID)) by \(answer.backend), method \(answer.method)"
                    + (answer.mustChange ? "; the password must be changed now" : ""))
        case .cancel:
            try output.emit(json, human: "\(answer.message): too many attempts, flow cancelled")
            throw ExitCode(ExitStatus.cancelled)
        default:
            try output.emit(json, human: "\(answer.message) (\(answer.attemptsLeft) attempts left in flow session \(flowSession))")
            throw ExitCode(ExitStatus.negative)
        }
    }
}

/// `auth --json` (docs/cli.md).
struct AuthJSON: Encodable {
    var outcome: String
    var userId, username, backend, method, message: String?
    var attemptsLeft: UInt32?
    var flowSession: String
    var mustChange: Bool

    private enum CodingKeys: String, CodingKey {
        case outcome, username, backend, method, message
        case userId = "user_id", attemptsLeft = "attempts_left", flowSession = "flow_session", mustChange = "must_change"
    }

    /// Every key, absent values as null: one shape whatever the outcome.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(userId, forKey: .userId)
        try container.encode(username, forKey: .username)
        try container.encode(backend, forKey: .backend)
        try container.encode(method, forKey: .method)
        try container.encode(message, forKey: .message)
        try container.encode(attemptsLeft, forKey: .attemptsLeft)
        try container.encode(flowSession, forKey: .flowSession)
        try container.encode(mustChange, forKey: .mustChange)
    }
}
