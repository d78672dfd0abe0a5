import ArgumentParser
import PosternClient

/// `postern source kerberos …`.
struct KerberosSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kerberos",
        abstract: "Create or replace, update, show, list and delete Kerberos sources.",
        subcommands: [Set.self, Update.self, Show.self, List.self, Delete.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a source, or replace it whole if it exists (unset options take their defaults; see `source kerberos update`).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var settings: KerberosSourceOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.realm != nil else { throw ValidationError("Give --realm.") }
        }

        func run() async throws {
            var source = Postern.Password.V1.KerberosSource(name: name)
            settings.apply(to: &source)
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                do throws(RPCError) {
                    return try await client.putKerberosSource(source, replacing: false)
                } catch {
                    guard error.code == .alreadyExists else { throw error }
                    return try await client.putKerberosSource(source, replacing: true)
                }
            }
            try output.emit(JSONShape.KerberosSource(stored), human: KerberosSourceText.detail(stored))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some of a source's settings; the others stay as they are.",
            discussion: "Reads the source, changes what is given, and writes it back.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var settings: KerberosSourceOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.givesAny else { throw ValidationError("Give at least one setting to change.") }
        }

        func run() async throws {
            let settings = settings
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                var source = try await client.kerberosSource(named: name)
                source.counters = nil
                settings.apply(to: &source)
                return try await client.putKerberosSource(source, replacing: true)
            }
            try output.emit(JSONShape.KerberosSource(stored), human: KerberosSourceText.detail(stored))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one source, with what its checks came to since the daemon started.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let source = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.kerberosSource(named: name) }
            try output.emit(JSONShape.KerberosSource(source), human: KerberosSourceText.detail(source))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every source, by name (the order the kerberos backend tries them in).")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let sources = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.kerberosSources() }
            try output.emit(["sources": sources.map(JSONShape.KerberosSource.init)], human: KerberosSourceText.table(sources))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a source.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The source's name.") var name: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete Kerberos source \(name)")
            try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.deleteKerberosSource(named: name) }
            print("deleted Kerberos source \(name)")
        }
    }
}
