import ArgumentParser
import Foundation
import PosternClient

/// `postern app-password …` and `postern service-account create`: secrets for programs.
struct AppPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app-password",
        abstract: "Create, list, view and revoke app passwords.",
        subcommands: [Create.self, List.self, View.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an app password for a user; prints its secret (shown once; `view` shows it again).")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @Option(help: "What it is for.") var description: String = ""
        @Option(help: ArgumentHelp("Expire after this many days (default: never).", valueName: "days")) var expiresInDays: Int?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let expires = try AppPasswordText.expiry(days: expiresInDays)
            let (created, user) = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                let user = try await client.user(target)
                return (try await client.createAppPassword(
                    Postern.Password.V1.CreateAppPasswordRequest(userID: user.id, descriptionField: description, expiresUnixMs: expires)),
                        user)
            }
            try output.emit(
                JSONShape.AppPassword(created.appPassword, username: user.username, secret: created.secret),
                human: AppPasswordText.line(created.appPassword, username: user.username) + "\nsecret: \(created.secret)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List app passwords (never their secrets).")
        @OptionGroup var sockets: PasswordSockets
        @Option(help: ArgumentHelp("Only this user's.", valueName: "username")) var user: String?
        @Flag(help: "Revoked ones too.") var includeRevoked = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (list, usernames) = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                var userID = ""
                if let user { userID = try await client.user(username: user).id }
                let list = try await client.appPasswords(userID: userID, includeRevoked: includeRevoked)
                // Usernames for people to read, from one listing of the users.
                let users = list.isEmpty ? [] : try await client.allUsers(pageSize: 500)
                return (list, Dictionary(users.map { ($0.id, $0.username) }) { first, _ in first })
            }
            try output.emit(
                ["app_passwords": list.map { JSONShape.AppPassword($0, username: usernames[$0.userID] ?? "") }],
                human: (list.map { AppPasswordText.line($0, username: usernames[$0.userID] ?? "") }
                    + ["\(list.count) app password\(list.count == 1 ? "" : "s")"]).joined(separator: "\n"))
        }
    }

    struct View: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an app password's secret (logged as an event).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The app password's id.") var id: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let viewed = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.viewAppPassword(id: id) }
            try output.emit(
                JSONShape.AppPassword(viewed.appPassword, secret: viewed.secret),
                human: AppPasswordText.line(viewed.appPassword) + "\nsecret: \(viewed.secret)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an app password: it never signs in again.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The app password's id.") var id: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try confirmation.confirm("revoke app password \(id)")
            let revoked = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.revokeAppPassword(id: id) }
            try output.emit(JSONShape.AppPassword(revoked), human: "revoked \(AppPasswordText.line(revoked))")
        }
    }
}

struct ServiceAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-account",
        abstract: "Create service accounts: users that sign in only with their app password.",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a service account and its app password; prints the secret (shown once).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The account's username.") var username: String
        @Option(help: "Its display name.") var name: String = ""
        @Flag(help: "The app password never expires (default: it expires after 360 days).") var nonExpiring = false
        @Option(help: ArgumentHelp("Expire after this many days instead of 360.", valueName: "days")) var expiresInDays: Int?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if nonExpiring && expiresInDays != nil { throw ValidationError("Give --non-expiring or --expires-in-days, not both.") }
        }

        func run() async throws {
            let expires = try AppPasswordText.expiry(days: expiresInDays)
            let created = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.createServiceAccount(
                    Postern.Password.V1.CreateServiceAccountRequest(
                        username: username, name: name, nonExpiring: nonExpiring, expiresUnixMs: expires))
            }
            let account = created.user?.username ?? ""
            try output.emit(
                ServiceAccountJSON(
                    user: created.user.map(JSONShape.User.init),
                    appPassword: JSONShape.AppPassword(created.appPassword, username: account, secret: created.secret)),
                human: "created service account \(account) (id \(created.user?.id ?? ""))\n"
                    + AppPasswordText.line(created.appPassword, username: account) + "\nsecret: \(created.secret)")
        }
    }
}

enum AppPasswordText {
    /// One app password on one line; an answer that lacks it says so.
    static func line(_ appPassword: Postern.Password.V1.AppPassword?, username: String = "") -> String {
        guard let appPassword else { return "(the daemon's answer holds no app password)" }
        var parts = ["\(appPassword.id)", username.isEmpty ? "user_id=\(appPassword.userID)" : "user=\(username)"]
        if !appPassword.descriptionField.isEmpty { parts.append("description=\"\(appPassword.descriptionField)\"") }
        parts.append("expires=\(appPassword.expiresUnixMs == 0 ? "never" : date(appPassword.expiresUnixMs))")
        if appPassword.revokedUnixMs != 0 { parts.append("revoked=\(date(appPassword.revokedUnixMs))") }
        return parts.joined(separator: "  ")
    }

    /// Milliseconds since the epoch, `days` from now; 0 (never) for nil.
    static func expiry(days: Int?) throws -> Int64 {
        guard let days else { return 0 }
        guard (1...36500).contains(days) else { throw ValidationError("--expires-in-days must be 1…36500") }
        return Int64(((Date().timeIntervalSince1970 + Double(days) * 86400) * 1000).rounded())
    }

    private static func date(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

/// `service-account create --json`.
struct ServiceAccountJSON: Encodable {
    var user: JSONShape.User?
    var appPassword: JSONShape.AppPassword

    private enum CodingKeys: String, CodingKey {
        case user
        case appPassword = "app_password"
    }
}
