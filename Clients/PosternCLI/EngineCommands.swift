import ArgumentParser
import PosternClient

/// `postern plan FLOW`: the stages a flow would run for a context.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a flow for a context: which stages run, which the plan-time checks skip.",
        discussion: "Exit status 0 when the flow applies, 2 when its own bindings deny it.")
    @OptionGroup var sockets: PolicySockets
    @Argument(help: "The flow's slug.") var flow: String
    @OptionGroup var context: ContextOption
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let text = try PolicyCLI.context(context.context)
        let plan = try await withPolicyDaemon(sockets) { client throws(RPCError) in
            try await client.call(Postern.Policy.V1.Engine.plan, .init(flow: flow, contextJSON: text))
        }
        try output.emit(PolicyShape.plan(plan), human: PolicyText.plan(plan))
        if !plan.applicable { throw ExitCode(ExitStatus.negative) }
    }
}

/// `postern evaluate TARGET`: a target's verdict for a context.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a target's bindings for a context (flow:SLUG, stage-binding:ID or prompt-stage:NAME).",
        discussion: "Exit status 0 when the verdict passes, 2 when it does not.")
    @OptionGroup var sockets: PolicySockets
    @Argument(help: "flow:SLUG, stage-binding:ID or prompt-stage:NAME.") var target: String
    @OptionGroup var context: ContextOption
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let target = try PolicyCLI.target(self.target)
        let text = try PolicyCLI.context(context.context)
        let verdict = try await withPolicyDaemon(sockets) { client throws(RPCError) in
            try await client.call(Postern.Policy.V1.Engine.evaluate, .init(target: target, contextJSON: text)).verdict ?? .init()
        }
        try output.emit(PolicyShape.verdict(verdict), human: PolicyText.verdict(verdict))
        if !verdict.passing { throw ExitCode(ExitStatus.negative) }
    }
}
