import ArgumentParser
import PosternClient

/// `postern policy …`: postern-policy's policies.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Create, update, show, list, delete and test policies.",
        subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self, Test.self])

    typealias API = Postern.Policy.V1.Policies

    /// The settings options of every type (dummy, expression; password's in their own group).
    struct Settings: ParsableArguments {
        @Option(help: ArgumentHelp("dummy: the result.", valueName: "true|false")) var result: Bool?
        @Option(help: ArgumentHelp("dummy: the shortest wait, seconds (0…3600).", valueName: "seconds")) var waitMin: UInt32?
        @Option(help: ArgumentHelp("dummy: the longest wait, seconds (0…3600).", valueName: "seconds")) var waitMax: UInt32?
        @Option(help: ArgumentHelp("expression: the CEL expression (docs/expressions.md).", valueName: "cel")) var expression: String?
        @Option(help: ArgumentHelp("Log every run, not only errors.", valueName: "true|false")) var executionLogging: Bool?
        @OptionGroup var password: PasswordPolicyOptions

        var givesDummySettings: Bool { result != nil || waitMin != nil || waitMax != nil }
        var givesAny: Bool { givesDummySettings || expression != nil || executionLogging != nil || password.givesSettings }

        func apply(to policy: inout Postern.Policy.V1.Policy) throws {
            if let executionLogging { policy.executionLogging = executionLogging }
            try password.apply(to: &policy)
            if let expression {
                guard policy.type == .expression else {
                    throw ValidationError("--expression is an expression setting; this is a \(policy.type.name) policy")
                }
                policy.expression = .init(expression: expression)
            }
            guard givesDummySettings else { return }
            guard policy.type == .dummy else {
                throw ValidationError("--result, --wait-min and --wait-max are dummy settings; this is a \(policy.type.name) policy")
            }
            var dummy = policy.dummy ?? .init()
            if let result { dummy.result = result }
            if let waitMin { dummy.waitMin = waitMin }
            if let waitMax { dummy.waitMax = waitMax }
            policy.dummy = dummy
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a policy.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The policy's name.") var name: String
        @Option(help: ArgumentHelp("The policy's type: dummy, expression, password, password_uniqueness or password_expiry.", valueName: "type"))
        var type: String
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let kind = try PolicyCLI.named(Postern.Policy.V1.PolicyType.self, type, option: "--type")
            var policy = Postern.Policy.V1.Policy(name: name, type: kind)
            if kind == .dummy { policy.dummy = .init() }
            if kind == .password { policy.password = .init() }
            try settings.apply(to: &policy)
            let created = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                try await client.call(API.create, .init(policy: policy))
            }
            try output.emit(PolicyShape.policy(created), human: PolicyText.policy(created))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some of a policy's settings; the others stay as they are.",
            discussion: "Reads the policy, changes what is given, and writes it back. Its type cannot change.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The policy's name.") var name: String
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.givesAny else {
                throw ValidationError("Give at least one setting to change.")
            }
        }

        func run() async throws {
            let updated = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                var policy = try await client.call(API.get, .init(name: name))
                do {
                    try settings.apply(to: &policy)
                } catch {
                    throw RPCError(code: .invalidArgument, message: "\(error)")
                }
                return try await client.call(API.update, .init(policy: policy))
            }
            try output.emit(PolicyShape.policy(updated), human: PolicyText.policy(updated))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one policy.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The policy's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let policy = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.get, .init(name: name)) }
            try output.emit(PolicyShape.policy(policy), human: PolicyText.policy(policy))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every policy, by name.")
        @OptionGroup var sockets: PolicySockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let policies = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.list, .init()).policies }
            try output.emit(JSONValue.object(["policies": .array(policies.map(PolicyShape.policy))]), human: PolicyText.policies(policies))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a policy and every binding to it.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The policy's name.") var name: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete policy \(name) and its bindings")
            let answer = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.delete, .init(name: name)) }
            print("deleted policy \(name) and \(answer.bindingsRemoved) binding\(answer.bindingsRemoved == 1 ? "" : "s")")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one policy once against a context, without a binding.",
            discussion: "Exit status 0 when it passes, 2 when it does not.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The policy's name.") var name: String
        @OptionGroup var context: ContextOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let text = try PolicyCLI.context(context.context)
            let answer = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                try await client.call(API.test, .init(name: name, contextJSON: text))
            }
            try output.emit(PolicyShape.test(answer), human: PolicyText.test(answer))
            if !answer.passing { throw ExitCode(ExitStatus.negative) }
        }
    }
}
