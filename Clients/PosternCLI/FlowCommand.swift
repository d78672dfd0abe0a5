import ArgumentParser
import PosternClient

/// `postern flow …`: postern-policy's flows.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Create, update, show, list and delete flows.",
        subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self])

    typealias API = Postern.Policy.V1.Flows

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a flow.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The flow's slug (a-z, 0-9, - and _).") var slug: String
        @Option(help: "The name shown to users (default: the slug).") var name: String?
        @Option(help: ArgumentHelp(
            "authentication, authorization, invalidation, enrollment, unenrollment, recovery or stage_configuration.",
            valueName: "designation"))
        var designation: String
        @Option(help: ArgumentHelp("How the flow's own bindings combine: any or all.", valueName: "mode")) var engineMode: String = "any"
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let flow = Postern.Policy.V1.Flow(
                slug: slug, name: name ?? slug,
                designation: try PolicyCLI.named(Postern.Policy.V1.Designation.self, designation, option: "--designation"),
                engineMode: try PolicyCLI.named(Postern.Policy.V1.EngineMode.self, engineMode, option: "--engine-mode"))
            let created = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.create, .init(flow: flow)) }
            try output.emit(PolicyShape.flow(created), human: PolicyText.flow(created))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change some of a flow's settings; the others stay as they are.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The flow's slug.") var slug: String
        @Option(help: "The name shown to users.") var name: String?
        @Option(help: ArgumentHelp("The flow's designation.", valueName: "designation")) var designation: String?
        @Option(help: ArgumentHelp("any or all.", valueName: "mode")) var engineMode: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard name != nil || designation != nil || engineMode != nil else { throw ValidationError("Give at least one setting to change.") }
        }

        func run() async throws {
            let designation = try self.designation.map { try PolicyCLI.named(Postern.Policy.V1.Designation.self, $0, option: "--designation") }
            let mode = try engineMode.map { try PolicyCLI.named(Postern.Policy.V1.EngineMode.self, $0, option: "--engine-mode") }
            let updated = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                var flow = try await client.call(API.get, .init(slug: slug))
                if let name { flow.name = name }
                if let designation { flow.designation = designation }
                if let mode { flow.engineMode = mode }
                return try await client.call(API.update, .init(flow: flow))
            }
            try output.emit(PolicyShape.flow(updated), human: PolicyText.flow(updated))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one flow and its stages in order.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The flow's slug.") var slug: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (flow, stages) = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                (try await client.call(API.get, .init(slug: slug)),
                 try await client.call(Postern.Policy.V1.StageBindings.list, .init(flow: slug)).stageBindings)
            }
            var shape = PolicyShape.flow(flow)
            if case .object(var members) = shape {
                members["stage_bindings"] = .array(stages.map(PolicyShape.stageBinding))
                shape = .object(members)
            }
            try output.emit(shape, human: PolicyText.flow(flow) + "\n" + PolicyText.stageBindings(stages))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every flow, by slug.")
        @OptionGroup var sockets: PolicySockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let flows = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.list, .init()).flows }
            try output.emit(JSONValue.object(["flows": .array(flows.map(PolicyShape.flow))]), human: PolicyText.flows(flows))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a flow, its stage bindings and every binding to either.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The flow's slug.") var slug: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete flow \(slug), its stage bindings and their bindings")
            let answer = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.delete, .init(slug: slug)) }
            print("deleted flow \(slug), \(answer.stageBindingsRemoved) stage binding(s) and \(answer.bindingsRemoved) binding(s)")
        }
    }
}

/// `postern stage-binding …`: a stage's place in a flow.
struct StageBindingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage-binding",
        abstract: "Place stages in flows: create, update, show, list and delete stage bindings.",
        subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self])

    typealias API = Postern.Policy.V1.StageBindings

    struct Settings: ParsableArguments {
        @Option(help: "Stages run by ascending order.") var order: Int32?
        @Option(help: ArgumentHelp("Evaluate its bindings when the flow is planned (default false).", valueName: "true|false"))
        var evaluateOnPlan: Bool?
        @Option(help: ArgumentHelp("Evaluate its bindings again when the stage runs (default true).", valueName: "true|false"))
        var reEvaluatePolicies: Bool?
        @Option(help: ArgumentHelp("How its bindings combine: any (default) or all.", valueName: "mode")) var engineMode: String?

        var givesAny: Bool { order != nil || evaluateOnPlan != nil || reEvaluatePolicies != nil || engineMode != nil }

        func apply(to binding: inout Postern.Policy.V1.StageBinding) throws {
            if let order { binding.order = order }
            if let evaluateOnPlan { binding.evaluateOnPlan = evaluateOnPlan }
            if let reEvaluatePolicies { binding.reEvaluatePolicies = .init(on: reEvaluatePolicies) }
            if let engineMode { binding.engineMode = try PolicyCLI.named(Postern.Policy.V1.EngineMode.self, engineMode, option: "--engine-mode") }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bind a stage to a flow; prints the stage binding's id.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The flow's slug.") var flow: String
        @Argument(help: "The stage's name.") var stage: String
        @Option(help: ArgumentHelp("password (a stage of postern-password) or prompt (a prompt stage here).", valueName: "kind"))
        var kind: String = "password"
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.order != nil else { throw ValidationError("Give the stage's --order in the flow.") }
        }

        func run() async throws {
            var binding = Postern.Policy.V1.StageBinding(
                flow: flow, stage: stage, stageKind: try PolicyCLI.named(Postern.Policy.V1.StageKind.self, kind, option: "--kind"))
            try settings.apply(to: &binding)
            let created = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                try await client.call(API.create, .init(stageBinding: binding))
            }
            try output.emit(PolicyShape.stageBinding(created), human: PolicyText.stageBinding(created))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change some of a stage binding's settings; the others stay as they are.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The stage binding's id.") var id: String
        @OptionGroup var settings: Settings
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard settings.givesAny else { throw ValidationError("Give at least one setting to change.") }
        }

        func run() async throws {
            let updated = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                var binding = try await client.call(API.get, .init(id: id))
                do {
                    try settings.apply(to: &binding)
                } catch {
                    throw RPCError(code: .invalidArgument, message: "\(error)")
                }
                return try await client.call(API.update, .init(stageBinding: binding))
            }
            try output.emit(PolicyShape.stageBinding(updated), human: PolicyText.stageBinding(updated))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one stage binding.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The stage binding's id.") var id: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let binding = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.get, .init(id: id)) }
            try output.emit(PolicyShape.stageBinding(binding), human: PolicyText.stageBinding(binding))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stage bindings by flow and order.")
        @OptionGroup var sockets: PolicySockets
        @Option(help: "Only this flow's.") var flow: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let list = try await withPolicyDaemon(sockets) { client throws(RPCError) in
                try await client.call(API.list, .init(flow: flow ?? "")).stageBindings
            }
            try output.emit(JSONValue.object(["stage_bindings": .array(list.map(PolicyShape.stageBinding))]), human: PolicyText.stageBindings(list))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stage binding and every binding to it.")
        @OptionGroup var sockets: PolicySockets
        @Argument(help: "The stage binding's id.") var id: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete stage binding \(id) and its bindings")
            let answer = try await withPolicyDaemon(sockets) { client throws(RPCError) in try await client.call(API.delete, .init(id: id)) }
            print("deleted stage binding \(id) and \(answer.bindingsRemoved) binding(s)")
        }
    }
}
