import ArgumentParser
import PosternClient

/// `postern binding …`: policies, users and groups bound to flows, stage bindings and prompt stages.
struct BindingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binding",
        abstract: "Bind policies, users or groups to targets: create, update, show, list and delete bindings.",
        discussion: "A target is flow:SLUG, stage-binding:ID or prompt-stage:NAME.",
        subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self])

    typealias API = Postern.Policy.V1.Bindings

    struct Settings: ParsableArguments {
        @Option(help: "Bindings are evaluated by ascending order.") var order: Int32?
        @Option(help: ArgumentHelp("Whether the binding counts (default true).", valueName: "true|false")) var enabled: Bool?
        @Option(help: ArgumentHelp("Flip the result (default false).", valueName: "true|false")) var negate: Bool?
        // Not `--timeout`: that is the call's deadline, as on every command (docs/cli.md).
        @Option(help: ArgumentHelp("Seconds the policy may run, 1…3600 (default 30).", valueName: "seconds")) var policyTimeout: UInt32?
        @Option(help: ArgumentHelp("The result when the policy errors or times out (default false).", valueName: "true|false"))
        var failureResult: Bool?

        var givesAny: Bool { order != nil || enabled != nil || negate != nil || policyTimeout != nil || failureResult != nil }

        func validate() throws {
            if let policyTimeout, !(1...3600).contains(policyTimeout) {
                throw ValidationError("--policy-timeout must be 1…3600 seconds, not \(policyTimeout)")
            }
        }

        func apply(to binding: inout Postern.Policy.V1.Binding) {
            if let order { binding.order = order }
            if let enabled { binding.enabled = .init(on: enabled) }
            if let negate { binding.negate = negate }
            if let policyTimeout { binding.timeoutSeconds = policyTimeout }
            if let failureResult { binding.failureResult = failureResult }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bind one policy, user or group to a target; prints the binding's id.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "flow:SLUG, stage-binding:ID or prompt-stage:NAME.") var target: String
        @Option(help: "A policy's name.") var policy: String?
        @Option(help: "A user's id (the context's user.id).") var user: String?
        @Option(help: "A group's name (in the context's user.groups).") var group: String?
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard [policy, user, group].compactMap({ $0 }).count == 1 else {
                throw ValidationError("Give exactly one of --policy, --user and --group.")
            }
            guard settings.order != nil else { throw ValidationError("Give the binding's --order.") }
        }

        func run() async throws {
            var binding = Postern.Policy.V1.Binding(
                target: try PolicyCLI.target(target), policy: policy ?? "", user: user ?? "", group: group ?? "")
            settings.apply(to: &binding)
            let created = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.create, .init(binding: binding)) }
            try output.emit(PolicyShape.binding(created), human: PolicyText.binding(created))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change some of a binding's settings; the others stay as they are.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The binding's id.") var id: String
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.givesAny else { throw ValidationError("Give at least one setting to change.") }
        }

        func run() async throws {
            let updated = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                var binding = try await client.call(API.get, .init(id: id))
                settings.apply(to: &binding)
                return try await client.call(API.update, .init(binding: binding))
            }
            try output.emit(PolicyShape.binding(updated), human: PolicyText.binding(updated))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one binding.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The binding's id.") var id: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let binding = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.get, .init(id: id)) }
            try output.emit(PolicyShape.binding(binding), human: PolicyText.binding(binding))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bindings by target and order.")
        @OptionGroup var sockets: PolicySockets
        @Option(help: "Only this target's: flow:SLUG, stage-binding:ID or prompt-stage:NAME.") var target: String?
        @Option(help: "Only this policy's.") var policy: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let request = Postern.Policy.V1.ListBindingsRequest(target: try target.map(PolicyCLI.target), policy: policy ?? "")
            let list = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.list, request).bindings }
            try output.emit(JSONValue.object(["bindings": .array(list.map(PolicyShape.binding))]), human: PolicyText.bindings(list))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a binding.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The binding's id.") var id: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete binding \(id)")
            _ = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.delete, .init(id: id)) }
            print("deleted binding \(id)")
        }
    }
}

/// `postern prompt-stage …`.
struct PromptStageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt-stage",
        abstract: "Create or replace, show, list and delete prompt stages.",
        discussion: "A prompt stage's validation policies are bindings to the target prompt-stage:NAME.",
        subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self])

    typealias API = Postern.Policy.V1.PromptStages

    /// `KEY:TYPE[:required][:LABEL]`.
    static func field(_ text: String) throws -> Postern.Policy.V1.PromptField {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw ValidationError("a field is KEY:TYPE[:required][:LABEL], not \"\(text)\"") }
        var field = Postern.Policy.V1.PromptField(
            fieldKey: parts[0], type: try PolicyCLI.named(Postern.Policy.V1.PromptFieldType.self, parts[1], option: "the field type"))
        var rest = Array(parts.dropFirst(2))
        if rest.first == "required" {
            field.required = true
            rest.removeFirst()
        }
        field.label = rest.joined(separator: ":")
        return field
    }

    struct Fields: ParsableArguments {
        @Option(name: .customLong("field"), help: ArgumentHelp("A field, in order: KEY:TYPE[:required][:LABEL] (repeat for each).", valueName: "field"))
        var fields: [String] = []
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a prompt stage.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The prompt stage's name.") var name: String
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stage = Postern.Policy.V1.PromptStage(name: name, fields: try fields.fields.map(PromptStageCommand.field))
            let created = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.create, .init(promptStage: stage)) }
            try output.emit(PolicyShape.promptStage(created), human: PolicyText.promptStage(created))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace a prompt stage's fields (all of them, in the order given).")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The prompt stage's name.") var name: String
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stage = Postern.Policy.V1.PromptStage(name: name, fields: try fields.fields.map(PromptStageCommand.field))
            let updated = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.update, .init(promptStage: stage)) }
            try output.emit(PolicyShape.promptStage(updated), human: PolicyText.promptStage(updated))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one prompt stage.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The prompt stage's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stage = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.get, .init(name: name)) }
            try output.emit(PolicyShape.promptStage(stage), human: PolicyText.promptStage(stage))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every prompt stage, by name.")
        @OptionGroup var sockets: PolicySockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let list = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.list, .init()).promptStages }
            try output.emit(
                JSONValue.object(["prompt_stages": .array(list.map(PolicyShape.promptStage))]),
                human: list.map { PolicyText.promptStage($0) }.joined(separator: "\n\n") + "\n\(list.count) prompt stage\(list.count == 1 ? "" : "s")")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a prompt stage, its places in flows and every binding to either.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The prompt stage's name.") var name: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete prompt stage \(name), its stage bindings and their bindings")
            let answer = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.delete, .init(name: name)) }
            print("deleted prompt stage \(name), \(answer.stageBindingsRemoved) stage binding(s) and \(answer.bindingsRemoved) binding(s)")
        }
    }
}
