import ArgumentParser
import PosternClient

/// `postern source kerberos …`.
struct KerberosSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kerberos",
        abstract: "Create or replace, update, show, list and delete Kerberos sources.",
        subcommands: [
            SourceSetCommand<KerberosSourceKind>.self, SourceUpdateCommand<KerberosSourceKind>.self,
            SourceShowCommand<KerberosSourceKind>.self, SourceListCommand<KerberosSourceKind>.self,
            SourceDeleteCommand<KerberosSourceKind>.self,
        ])
}

/// Kerberos sources for the shared source commands.
enum KerberosSourceKind: SourceKind {
    typealias Options = KerberosSourceOptions
    static let noun = "Kerberos"
    static let backend = "kerberos"
    static func named(_ name: String) -> Postern.Password.V1.KerberosSource { .init(name: name) }
    static func withoutCounters(_ source: Postern.Password.V1.KerberosSource) -> Postern.Password.V1.KerberosSource {
        var source = source
        source.counters = nil
        return source
    }
    static func put(_ client: RPCClient, _ source: Postern.Password.V1.KerberosSource, replacing: Bool) async throws(RPCError) -> Postern.Password.V1.KerberosSource {
        try await client.putKerberosSource(source, replacing: replacing)
    }
    static func get(_ client: RPCClient, _ name: String) async throws(RPCError) -> Postern.Password.V1.KerberosSource {
        try await client.kerberosSource(named: name)
    }
    static func list(_ client: RPCClient) async throws(RPCError) -> [Postern.Password.V1.KerberosSource] { try await client.kerberosSources() }
    static func delete(_ client: RPCClient, _ name: String) async throws(RPCError) { try await client.deleteKerberosSource(named: name) }
    static func shape(_ source: Postern.Password.V1.KerberosSource) -> JSONShape.KerberosSource { JSONShape.KerberosSource(source) }
    static func detail(_ source: Postern.Password.V1.KerberosSource) -> String { KerberosSourceText.detail(source) }
    static func table(_ sources: [Postern.Password.V1.KerberosSource]) -> String { KerberosSourceText.table(sources) }
}
