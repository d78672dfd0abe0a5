import ArgumentParser
import PosternClient

/// `postern source …`: where passwords are checked besides Postern's own store.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Configure the directories passwords are checked against (docs/ldap.md).",
        subcommands: [LDAPSourceCommand.self, KerberosSourceCommand.self])
}

/// `postern source ldap …`.
struct LDAPSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldap",
        abstract: "Create or replace, update, show, list, delete and sync LDAP sources.",
        subcommands: [Set.self, Update.self, Show.self, List.self, Delete.self, Sync.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a source, or replace it whole if it exists (unset options take their defaults; see `source ldap update`).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var settings: LDAPSourceOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !settings.uri.isEmpty else { throw ValidationError("Give at least one --uri.") }
        }

        func run() async throws {
            var source = Postern.Password.V1.LDAPSource(name: name)
            settings.apply(to: &source)
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                do throws(RPCError) {
                    return try await client.putLDAPSource(source, replacing: false)
                } catch {
                    guard error.code == .alreadyExists else { throw error }
                    return try await client.putLDAPSource(source, replacing: true)
                }
            }
            try output.emit(JSONShape.LDAPSource(stored), human: LDAPSourceText.detail(stored))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some of a source's settings; the others stay as they are.",
            discussion: "Reads the source, changes what is given, and writes it back.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var settings: LDAPSourceOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.givesAny else { throw ValidationError("Give at least one setting to change.") }
        }

        func run() async throws {
            let settings = settings
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                var source = try await client.ldapSource(named: name)
                source.counters = nil
                settings.apply(to: &source)
                return try await client.putLDAPSource(source, replacing: true)
            }
            try output.emit(JSONShape.LDAPSource(stored), human: LDAPSourceText.detail(stored))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one source, with what its logins came to since the daemon started.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let source = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.ldapSource(named: name) }
            try output.emit(JSONShape.LDAPSource(source), human: LDAPSourceText.detail(source))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every source, by name (the order the ldap backend tries them in).")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let sources = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.ldapSources() }
            try output.emit(["sources": sources.map(JSONShape.LDAPSource.init)], human: LDAPSourceText.table(sources))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a source (the users it imported stay).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete LDAP source \(name)")
            try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.deleteLDAPSource(named: name) }
            print("deleted LDAP source \(name)")
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import and update the users the source's sync filter finds; disable those gone.",
            discussion: "Idempotent: a second run reports every user unchanged.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @Flag(help: "Report what would change; change nothing.") var dryRun = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let report = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                try await client.syncLDAPSource(named: name, dryRun: dryRun)
            }
            try output.emit(JSONShape.LDAPSync(report), human: LDAPSourceText.sync(report, name: name, dryRun: dryRun))
        }
    }
}
