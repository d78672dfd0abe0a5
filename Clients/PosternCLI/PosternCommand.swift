import ArgumentParser
import PosternClient

/// `postern`: administration and diagnostics for the Postern daemons.
@main
struct PosternCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postern",
        abstract: "Administer and diagnose the Postern daemons.",
        discussion: ExitStatus.summary,
        version: PosternVersion.current,
        subcommands: [
            HealthCommand.self, UserCommand.self, PasswordCommand.self, StageCommand.self, AuthCommand.self,
            AppPasswordCommand.self, ServiceAccountCommand.self, HistoryCommand.self, PolicyCommand.self, FlowCommand.self,
            StageBindingCommand.self, PromptStageCommand.self, BindingCommand.self, PlanCommand.self, EvaluateCommand.self,
            BlueprintCommand.self, SourceCommand.self,
        ])
}
