import ArgumentParser
import PosternClient

/// `postern password …`: set or change a user's password. Secrets come from the terminal
/// (not echoed) or from standard input, never from the command line. With `--flow` or
/// `--stage`, the change flow's validation runs first, so a change made here obeys the rules an
/// IdP's change flow applies (docs/cli.md "Password changes obey the change flow").
struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set or change a user's password.",
        subcommands: [Set.self, Change.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (admin). Exit 2: the change flow refused it.",
            discussion: "On a terminal the password is asked twice; otherwise it is the first line of standard input.")
        @OptionGroup var sockets: PasswordChangeSockets
        @OptionGroup var target: UserTarget
        @Flag(help: "The user must change it at their next login (an admin's reset).") var mustChange = false
        @OptionGroup var changeFlow: ChangeFlowOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try PasswordCommand.checkSockets(sockets, changeFlow) }

        func run() async throws {
            var input = SecretInput()
            let password = try input.read("New password", confirm: true)
            let (user, verdict) = try await PasswordCommand.validated(password, target, changeFlow, sockets, output)
            let request = Postern.Password.V1.SetPasswordRequest(
                userID: user?.id ?? target.id ?? "", username: user == nil ? target.username ?? "" : "", password: password,
                mustChange: mustChange, historyReservation: verdict?.reservation ?? "")
            let answer = try await withDaemon(.password, sockets) { client throws(RPCError) in try await client.setPassword(request) }
            try output.emit(
                PasswordJSON(target, user, verdict, changedUnixMs: answer.passwordChangedUnixMs, mustChange: mustChange),
                human: "password set for \(target.username ?? target.id ?? "")" + PasswordCommand.validatedText(verdict)
                    + (mustChange ? "; it must be changed at the next login" : ""))
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's password, giving the current one. Exit 2: the change flow refused it.",
            discussion: "On a terminal both are asked (the new one twice); otherwise standard input holds the current password on its first line and the new one on its second.")
        @OptionGroup var sockets: PasswordChangeSockets
        @OptionGroup var target: UserTarget
        @OptionGroup var changeFlow: ChangeFlowOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try PasswordCommand.checkSockets(sockets, changeFlow) }

        func run() async throws {
            var input = SecretInput()
            let current = try input.read("Current password")
            let new = try input.read("New password", confirm: true)
            let (user, verdict) = try await PasswordCommand.validated(new, target, changeFlow, sockets, output)
            let request = Postern.Password.V1.ChangePasswordRequest(
                userID: user?.id ?? target.id ?? "", username: user == nil ? target.username ?? "" : "", currentPassword: current,
                newPassword: new, historyReservation: verdict?.reservation ?? "")
            let answer = try await withDaemon(.password, sockets) { client throws(RPCError) in try await client.changePassword(request) }
            try output.emit(
                PasswordJSON(target, user, verdict, changedUnixMs: answer.passwordChangedUnixMs, mustChange: false),
                human: "password changed for \(target.username ?? target.id ?? "")" + PasswordCommand.validatedText(verdict))
        }
    }

    /// `--policy-socket` is used only to validate.
    static func checkSockets(_ sockets: PasswordChangeSockets, _ changeFlow: ChangeFlowOptions) throws {
        if sockets.policySocket != nil, !changeFlow.requested {
            throw ValidationError("--policy-socket is used only with --flow or --stage")
        }
    }

    /// With a change flow: the user, and the flow's verdict on `password` — a refusal printed
    /// (its messages) and exit 2, nothing changed. Without one: nothing asked.
    static func validated(
        _ password: String, _ target: UserTarget, _ changeFlow: ChangeFlowOptions, _ sockets: PasswordChangeSockets,
        _ output: OutputOptions
    ) async throws -> (Postern.Password.V1.User?, ChangeFlowVerdict?) {
        guard changeFlow.requested else { return (nil, nil) }
        let user = try await withDaemon(.password, sockets) { client throws(RPCError) in try await client.user(target) }
        let verdict = try await ChangeFlowValidation.run(changeFlow, user: user, password: password, sockets: sockets)
        guard verdict.valid else {
            try output.emit(
                PasswordJSON(target, user, verdict, changedUnixMs: 0, mustChange: false),
                human: "not changed: the change flow \(verdict.flow) refused the new password:\n"
                    + verdict.messages.map { "  - \($0)" }.joined(separator: "\n"))
            throw ExitCode(ExitStatus.negative)
        }
        return (user, verdict)
    }

    static func validatedText(_ verdict: ChangeFlowVerdict?) -> String {
        verdict.map { " (validated by change flow \($0.flow))" } ?? ""
    }
}

/// `password set` and `change --json`: `{"user_id", "username", "changed", "flow", "messages",
/// "password_changed", "must_change"}` (docs/cli.md).
struct PasswordJSON: Encodable {
    var userId: String?
    var username: String?
    var changed: Bool
    var flow: String?
    var messages: [String]
    var passwordChanged: String?
    var mustChange: Bool

    init(
        _ target: UserTarget, _ user: Postern.Password.V1.User?, _ verdict: ChangeFlowVerdict?, changedUnixMs: Int64,
        mustChange: Bool
    ) {
        userId = user?.id ?? target.id
        username = user?.username ?? target.username
        changed = changedUnixMs != 0
        flow = verdict?.flow
        messages = verdict?.messages ?? []
        passwordChanged = JSONShape.time(changedUnixMs)
        self.mustChange = changed && mustChange
    }

    private enum CodingKeys: String, CodingKey {
        case username, changed, flow, messages
        case userId = "user_id", passwordChanged = "password_changed", mustChange = "must_change"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(username, forKey: .username)
        try container.encode(changed, forKey: .changed)
        try container.encode(flow, forKey: .flow)
        try container.encode(messages, forKey: .messages)
        try container.encode(passwordChanged, forKey: .passwordChanged)
        try container.encode(mustChange, forKey: .mustChange)
    }
}
