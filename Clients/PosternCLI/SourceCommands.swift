import ArgumentParser
import PosternClient

/// What `postern source KIND set|update|show|list|delete` need to know of a kind of source
/// (LDAP, Kerberos): its message, options, calls and renderings. The commands are the same.
protocol SourceKind {
    associatedtype Message: Sendable
    associatedtype Options: SourceOptions where Options.Message == Message
    associatedtype Shape: Encodable

    /// "LDAP", "Kerberos": in help and messages.
    static var noun: String { get }
    /// The `backend` name: in help.
    static var backend: String { get }
    static func named(_ name: String) -> Message
    static func withoutCounters(_ source: Message) -> Message
    static func put(_ client: RPCClient, _ source: Message, replacing: Bool) async throws(RPCError) -> Message
    static func get(_ client: RPCClient, _ name: String) async throws(RPCError) -> Message
    static func list(_ client: RPCClient) async throws(RPCError) -> [Message]
    static func delete(_ client: RPCClient, _ name: String) async throws(RPCError)
    static func shape(_ source: Message) -> Shape
    static func detail(_ source: Message) -> String
    static func table(_ sources: [Message]) -> String
}

/// A kind's settings as options.
protocol SourceOptions: ParsableArguments, Sendable {
    associatedtype Message
    /// Whether any option is given (`update` needs one).
    var givesAny: Bool { get }
    /// What `set` needs before it sends anything, or nil.
    var missingForSet: String? { get }
    func apply(to source: inout Message)
}

struct SourceSetCommand<Kind: SourceKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "set",
            abstract: "Create a source, or replace it whole if it exists (unset options take their defaults; see `update`).")
    }
    @OptionGroup var sockets: PasswordSockets
    @Argument(help: "The source's name.") var name: String
    @OptionGroup var settings: Kind.Options
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let missing = settings.missingForSet { throw ValidationError(missing) }
    }

    func run() async throws {
        var source = Kind.named(name)
        settings.apply(to: &source)
        let request = source
        let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
            do throws(RPCError) {
                return try await Kind.put(client, request, replacing: false)
            } catch {
                guard error.code == .alreadyExists else { throw error }
                return try await Kind.put(client, request, replacing: true)
            }
        }
        try output.emit(Kind.shape(stored), human: Kind.detail(stored))
    }
}

struct SourceUpdateCommand<Kind: SourceKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "update", abstract: "Change some of a source's settings; the others stay as they are.",
            discussion: "Reads the source, changes what is given, and writes it back.")
    }
    @OptionGroup var sockets: PasswordSockets
    @Argument(help: "The source's name.") var name: String
    @OptionGroup var settings: Kind.Options
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard settings.givesAny else { throw ValidationError("Give at least one setting to change.") }
    }

    func run() async throws {
        let (settings, name) = (settings, name)
        let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
            var source = Kind.withoutCounters(try await Kind.get(client, name))
            settings.apply(to: &source)
            return try await Kind.put(client, source, replacing: true)
        }
        try output.emit(Kind.shape(stored), human: Kind.detail(stored))
    }
}

struct SourceShowCommand<Kind: SourceKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: "Show one source, with what it answered since the daemon started.")
    }
    @OptionGroup var sockets: PasswordSockets
    @Argument(help: "The source's name.") var name: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let name = name
        let source = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await Kind.get(client, name) }
        try output.emit(Kind.shape(source), human: Kind.detail(source))
    }
}

struct SourceListCommand<Kind: SourceKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "list", abstract: "List every source, by name (the order the \(Kind.backend) backend tries them in).")
    }
    @OptionGroup var sockets: PasswordSockets
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let sources = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await Kind.list(client) }
        try output.emit(["sources": sources.map(Kind.shape)], human: Kind.table(sources))
    }
}

struct SourceDeleteCommand<Kind: SourceKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: "Delete a source (the users it knows stay).")
    }
    @OptionGroup var sockets: PasswordSockets
    @Argument(help: "The source's name.") var name: String
    @OptionGroup var confirmation: Confirmation

    func run() async throws {
        let name = name
        try confirmation.confirm("delete \(Kind.noun) source \(name)")
        try await withPasswordDaemon(sockets) { client throws(RPCError) in try await Kind.delete(client, name) }
        print("deleted \(Kind.noun) source \(name)")
    }
}
