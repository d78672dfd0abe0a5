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
        subcommands: [
            SourceSetCommand<LDAPSourceKind>.self, SourceUpdateCommand<LDAPSourceKind>.self, SourceShowCommand<LDAPSourceKind>.self,
            SourceListCommand<LDAPSourceKind>.self, SourceDeleteCommand<LDAPSourceKind>.self, Sync.self,
        ])

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

/// LDAP sources for the shared source commands.
enum LDAPSourceKind: SourceKind {
    typealias Options = LDAPSourceOptions
    static let noun = "LDAP"
    static let backend = "ldap"
    static func named(_ name: String) -> Postern.Password.V1.LDAPSource { .init(name: name) }
    static func withoutCounters(_ source: Postern.Password.V1.LDAPSource) -> Postern.Password.V1.LDAPSource {
        var source = source
        source.counters = nil
        return source
    }
    static func put(_ client: RPCClient, _ source: Postern.Password.V1.LDAPSource, replacing: Bool) async throws(RPCError) -> Postern.Password.V1.LDAPSource {
        try await client.putLDAPSource(source, replacing: replacing)
    }
    static func get(_ client: RPCClient, _ name: String) async throws(RPCError) -> Postern.Password.V1.LDAPSource {
        try await client.ldapSource(named: name)
    }
    static func list(_ client: RPCClient) async throws(RPCError) -> [Postern.Password.V1.LDAPSource] { try await client.ldapSources() }
    static func delete(_ client: RPCClient, _ name: String) async throws(RPCError) { try await client.deleteLDAPSource(named: name) }
    static func shape(_ source: Postern.Password.V1.LDAPSource) -> JSONShape.LDAPSource { JSONShape.LDAPSource(source) }
    static func detail(_ source: Postern.Password.V1.LDAPSource) -> String { LDAPSourceText.detail(source) }
    static func table(_ sources: [Postern.Password.V1.LDAPSource]) -> String { LDAPSourceText.table(sources) }
}
