import ArgumentParser
import PosternClient

/// `postern password …`: set or change a user's password. Secrets come from the terminal
/// (not echoed) or from standard input, never from the command line.
struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set or change a user's password.",
        subcommands: [Set.self, Change.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (admin).",
            discussion: "On a terminal the password is asked twice; otherwise it is the first line of standard input.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @Flag(help: "The user must change it at their next login (an admin's reset).") var mustChange = false

        func run() async throws {
            var input = SecretInput()
            let password = try input.read("New password", confirm: true)
            let request = Postern.Password.V1.SetPasswordRequest(
                userID: target.id ?? "", username: target.username ?? "", password: password, mustChange: mustChange)
            _ = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.setPassword(request) }
            print("password set for \(target.username ?? target.id ?? "")" + (mustChange ? "; it must be changed at the next login" : ""))
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's password, giving the current one.",
            discussion: "On a terminal both are asked (the new one twice); otherwise standard input holds the current password on its first line and the new one on its second.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget

        func run() async throws {
            var input = SecretInput()
            let current = try input.read("Current password")
            let new = try input.read("New password", confirm: true)
            let request = Postern.Password.V1.ChangePasswordRequest(
                userID: target.id ?? "", username: target.username ?? "", currentPassword: current, newPassword: new)
            _ = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.changePassword(request) }
            print("password changed for \(target.username ?? target.id ?? "")")
        }
    }
}
