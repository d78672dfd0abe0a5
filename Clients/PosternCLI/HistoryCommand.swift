import ArgumentParser
import PosternClient

/// `postern history …`: postern-history for operators. Users are named as everywhere else (a
/// username, looked up in postern-password, or `--id`); secrets come from the terminal or
/// standard input, never from the command line.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Check, size, forget and count password history.",
        subcommands: [Check.self, Retention.self, Forget.self, Stats.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Was this password among the user's last N? Exit 0: no; 2: yes (reused).",
            discussion: "On a terminal the password is asked; otherwise it is the first line of standard input.")
        @OptionGroup var sockets: SocketOptions
        @OptionGroup var target: UserTarget
        @Option(help: ArgumentHelp("How many of the newest passwords to look at (default: the retention).", valueName: "n"))
        var count: UInt32?

        func run() async throws {
            var input = SecretInput()
            let password = try input.read("Password")
            let userID = try await HistoryCommand.userID(target, sockets)
            let (answer, n) = try await withDaemon(.history, sockets) { client throws(RPCError) in
                var n = count ?? 0
                if count == nil { n = try await client.historyStats().retention }
                guard n > 0 else {
                    throw RPCError(code: .failedPrecondition, message: "history is off (retention 0); give --count or set a retention")
                }
                return (try await client.checkHistory(userID: userID, password: password, count: n), n)
            }
            let who = target.username ?? userID
            if answer.reused {
                print("reused: the password is among \(who)'s last \(n) (\(answer.compared) compared)")
                throw ExitCode(2)
            }
            print("not reused: the password is not among \(who)'s last \(n) (\(answer.compared) compared)")
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, or set, how many passwords each user keeps; 0 turns history off and purges it.")
        @OptionGroup var sockets: SocketOptions
        @Argument(help: "The new retention (0…1000); none shows the current one.") var count: UInt32?

        func run() async throws {
            if let count {
                let answer = try await withDaemon(.history, sockets) { client throws(RPCError) in
                    try await client.setHistoryRetention(count)
                }
                print("retention \(count) (was \(answer.previous)); \(answer.removed) entr\(answer.removed == 1 ? "y" : "ies") removed")
            } else {
                let stats = try await withDaemon(.history, sockets) { client throws(RPCError) in try await client.historyStats() }
                print(stats.retention == 0 ? "retention 0: history is off" : "retention \(stats.retention)")
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove everything postern-history keeps about a user.")
        @OptionGroup var sockets: SocketOptions
        @OptionGroup var target: UserTarget

        func run() async throws {
            let userID = try await HistoryCommand.userID(target, sockets)
            let answer = try await withDaemon(.history, sockets) { client throws(RPCError) in
                try await client.forgetHistory(userID: userID)
            }
            print("forgot \(target.username ?? userID): \(answer.removed) entr\(answer.removed == 1 ? "y" : "ies") removed")
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the history holds.")
        @OptionGroup var sockets: SocketOptions

        func run() async throws {
            let stats = try await withDaemon(.history, sockets) { client throws(RPCError) in try await client.historyStats() }
            print("retention: \(stats.retention)\(stats.retention == 0 ? " (off)" : "")")
            print("users: \(stats.users)")
            print("entries: \(stats.entries)")
            print("pending: \(stats.pending)")
            print("entries under another pepper: \(stats.entriesOtherPepper)")
            for set in stats.parameterSets { print("  \(set.parameters): \(set.entries)") }
            print("database bytes: \(stats.databaseBytes)")
        }
    }

    /// The id of the user `target` names: `--id` as given; a username looked up in
    /// postern-password, which owns the users.
    static func userID(_ target: UserTarget, _ sockets: SocketOptions) async throws -> String {
        if let id = target.id { return id }
        return try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.user(target).id }
    }
}
