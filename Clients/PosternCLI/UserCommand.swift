import ArgumentParser
import Foundation
import PosternClient

/// `postern user …`: postern-password's users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, show, list, update, enable, disable, delete and import postern-password's users.",
        subcommands: [Add.self, Show.self, List.self, Update.self, Enable.self, Disable.self, Delete.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user (no password yet: see `postern password set`).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The new user's username.") var username: String
        @Option(help: "The IdP's identifier for the user (default: a random UUID).") var id: String = ""
        @Option(help: "Display name.") var name: String = ""
        @Flag(help: "A service account rather than a person.") var serviceAccount = false
        @Option(help: ArgumentHelp("Attributes, a JSON object.", valueName: "json")) var attributes: String = ""
        @Flag(help: "Create the user disabled.") var inactive = false
        @Option(help: ArgumentHelp("The user's entry in an LDAP directory (the ldap backend binds as it).", valueName: "dn"))
        var ldapDn: String = ""
        @Option(help: ArgumentHelp("The user's Kerberos principal (default for the kerberos backend: username@REALM).", valueName: "principal"))
        var kerberosPrincipal: String = ""
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let request = Postern.Password.V1.CreateUserRequest(
                id: id, username: username, name: name, type: serviceAccount ? .serviceAccount : .internal,
                attributesJSON: attributes, inactive: inactive, ldapDN: ldapDn, kerberosPrincipal: kerberosPrincipal)
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.createUser(request) }
            try output.emit(JSONShape.User(user), human: UserText.detail(user))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.user(target) }
            try output.emit(JSONShape.User(user), human: UserText.detail(user))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every user, by username.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let users = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.allUsers(pageSize: 500) }
            try output.emit(["users": users.map(JSONShape.User.init)], human: UserText.table(users))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's username, name, attributes, LDAP DN or Kerberos principal; only what is given changes.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @Option(help: ArgumentHelp("A new username.", valueName: "username")) var newUsername: String?
        @Option(help: "A new display name (\"\" clears it).") var name: String?
        @Option(help: ArgumentHelp("New attributes, a JSON object, replacing the old ones.", valueName: "json")) var attributes: String?
        @Option(help: ArgumentHelp("The user's LDAP entry (\"\" clears it).", valueName: "dn")) var ldapDn: String?
        @Option(help: ArgumentHelp("The user's Kerberos principal (\"\" clears it).", valueName: "principal"))
        var kerberosPrincipal: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard newUsername != nil || name != nil || attributes != nil || ldapDn != nil || kerberosPrincipal != nil else {
                throw ValidationError("Give at least one of --new-username, --name, --attributes, --ldap-dn and --kerberos-principal.")
            }
        }

        func run() async throws {
            var request = Postern.Password.V1.UpdateUserRequest()
            if let newUsername { request.username = newUsername; request.updateMask.append("username") }
            if let name { request.name = name; request.updateMask.append("name") }
            if let attributes { request.attributesJSON = attributes; request.updateMask.append("attributes_json") }
            if let ldapDn { request.ldapDN = ldapDn; request.updateMask.append("ldap_dn") }
            if let kerberosPrincipal { request.kerberosPrincipal = kerberosPrincipal; request.updateMask.append("kerberos_principal") }
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                request.id = try await client.user(target).id
                return try await client.updateUser(request)
            }
            try output.emit(JSONShape.User(user), human: UserText.detail(user))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user: their logins work again.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.updateUser(Postern.Password.V1.UpdateUserRequest(
                    id: try await client.user(target).id, updateMask: ["is_active"], isActive: true))
            }
            try output.emit(JSONShape.User(user), human: "enabled \(user.username) (\(user.id))")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no login succeeds until re-enabled.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.disableUser(id: try await client.user(target).id)
            }
            try output.emit(JSONShape.User(user), human: "disabled \(user.username) (\(user.id))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user, with their app passwords and password history.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var target: UserTarget
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try confirmation.confirm("delete user \(target.username ?? target.id ?? "")")
            let user = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                let user = try await client.user(target)
                try await client.deleteUser(id: user.id)
                return user
            }
            try output.emit(["deleted": JSONShape.User(user)], human: "deleted \(user.username) (\(user.id))")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import users with their existing password hashes, all or nothing.",
            discussion: """
                FILE (or - for standard input) holds one JSON object per line: username (required), \
                id, name, type ("internal" or "service_account"), attributes (an object), inactive \
                (true or false), password_hash (Django/authentik, crypt(3) or Postern format; not \
                for a service account), password_changed (Unix seconds). An unknown key or a value \
                of the wrong type is an error; every problem of the file is listed, by line, and \
                nothing is imported if there is any. With --shadow, FILE is in /etc/shadow's format \
                instead; locked (!), disabled (*) and empty entries are skipped and counted.
                """)
        @OptionGroup var sockets: PasswordImportSockets
        @Argument(help: "The file to read, or - for standard input.") var file: String
        @Flag(help: "FILE is in /etc/shadow's format.") var shadow = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let text: String
            do {
                text = file == "-"
                    ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    : try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let rows: ImportFile.Rows
            do {
                rows = shadow ? try ImportFile.shadow(text, file: file) : try ImportFile.jsonLines(text, file: file)
            } catch let problems as JSONLines.Problems {
                printError("postern: \(problems)")
                throw ExitCode(ExitStatus.failed)
            }
            guard !rows.users.isEmpty else {
                throw ValidationError("\(file) has no users to import\(rows.skipped.isEmpty ? "" : " (skipped: \(rows.skipped.joined(separator: ", ")))")")
            }
            let request = Postern.Password.V1.ImportUsersRequest(users: rows.users)
            let imported = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                do throws(RPCError) {
                    return try await client.importUsers(request)
                } catch {
                    throw ImportFile.naming(error, lines: rows.lines)
                }
            }
            try output.emit(
                ImportSummary(imported: imported, skipped: rows.skipped),
                human: "imported \(imported) user\(imported == 1 ? "" : "s")"
                    + (rows.skipped.isEmpty ? "" : "; skipped \(rows.skipped.joined(separator: ", "))"))
        }
    }
}

/// `user import --json`.
struct ImportSummary: Encodable {
    var imported: UInt32
    /// What was skipped on purpose, in words ("3 locked (!)").
    var skipped: [String]
}
