import ArgumentParser
import Foundation
import PosternClient

/// `postern user …`: postern-password's users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, show, list, disable, delete and import postern-password's users.",
        subcommands: [Add.self, Show.self, List.self, Disable.self, Delete.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user (no password yet: see `postern password set`).")
        @OptionGroup var sockets: SocketOptions
        @Argument(help: "The new user's username.") var username: String
        @Option(help: "The IdP's identifier for the user (default: a random UUID).") var id: String = ""
        @Option(help: "Display name.") var name: String = ""
        @Flag(help: "A service account rather than a person.") var serviceAccount = false
        @Option(help: ArgumentHelp("Attributes, a JSON object.", valueName: "json")) var attributes: String = ""
        @Flag(help: "Create the user disabled.") var inactive = false

        func run() async throws {
            let request = Postern.Password.V1.CreateUserRequest(
                id: id, username: username, name: name, type: serviceAccount ? .serviceAccount : .internal,
                attributesJSON: attributes, inactive: inactive)
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.createUser(request) }
            print(UserText.detail(user))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var sockets: SocketOptions
        @OptionGroup var target: UserTarget

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.user(target) }
            print(UserText.detail(user))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every user, by username.")
        @OptionGroup var sockets: SocketOptions

        func run() async throws {
            let users = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.allUsers(pageSize: 500) }
            print(UserText.table(users))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no login succeeds until re-enabled.")
        @OptionGroup var sockets: SocketOptions
        @OptionGroup var target: UserTarget

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.disableUser(id: try await client.user(target).id)
            }
            print("disabled \(user.username) (\(user.id))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user.")
        @OptionGroup var sockets: SocketOptions
        @OptionGroup var target: UserTarget

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                let user = try await client.user(target)
                try await client.deleteUser(id: user.id)
                return user
            }
            print("deleted \(user.username) (\(user.id))")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import users with their existing password hashes, all or nothing.",
            discussion: """
                FILE (or - for standard input) holds one JSON object per line: username (required), \
                id, name, type ("internal" or "service_account"), attributes (an object), inactive, \
                password_hash (Django/authentik, crypt(3) or Postern format), password_changed \
                (Unix seconds). With --shadow, FILE is in /etc/shadow's format instead, and only \
                entries with a crypt(3) hash ($…) are taken.
                """)
        @OptionGroup var sockets: SocketOptions
        @Argument(help: "The file to read, or - for standard input.") var file: String
        @Flag(help: "FILE is in /etc/shadow's format.") var shadow = false

        func run() async throws {
            let text: String
            do {
                text = file == "-"
                    ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    : try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let rows = shadow ? try ImportFile.shadow(text) : try ImportFile.jsonLines(text)
            let request = Postern.Password.V1.ImportUsersRequest(users: rows)
            let imported = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.importUsers(request)
            }
            print("imported \(imported) user\(imported == 1 ? "" : "s")")
        }
    }
}
