import ArgumentParser
import PosternClient

/// `postern stage …`: password stage configurations.
struct StageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Create or change, show, list and delete password stages.",
        subcommands: [Set.self, Show.self, List.self, Delete.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a stage, or replace it whole if it exists.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String
        @Option(help: ArgumentHelp("Backends in the order they are tried, comma-separated: internal, app_password.", valueName: "list"))
        var backends: String = "internal"
        @Option(help: "Failed attempts before the flow is cancelled, 1…100.") var failedAttemptsBeforeCancel: UInt32 = 5
        @Flag(help: "Let the IdP offer a show-password toggle.") var allowShowPassword = false
        @Option(help: "The IdP's flow for changing a password.") var configurationFlow: String = ""

        func validate() throws {
            guard (1...100).contains(failedAttemptsBeforeCancel) else {
                throw ValidationError("--failed-attempts-before-cancel must be 1…100, not \(failedAttemptsBeforeCancel)")
            }
        }

        func run() async throws {
            var kinds: [Postern.Password.V1.Backend] = []
            for name in backends.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let kind = Postern.Password.V1.Backend(name: name), kind != .unspecified else {
                    throw ValidationError("unknown backend \"\(name)\"; the backends are internal and app_password")
                }
                kinds.append(kind)
            }
            let stage = Postern.Password.V1.PasswordStage(
                name: name, backends: kinds, failedAttemptsBeforeCancel: failedAttemptsBeforeCancel,
                allowShowPassword: allowShowPassword, configurationFlow: configurationFlow)
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                do throws(RPCError) {
                    return try await client.putStage(stage, replacing: false)
                } catch {
                    guard error.code == .alreadyExists else { throw error }
                    return try await client.putStage(stage, replacing: true)
                }
            }
            print(StageText.detail(stored))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one stage.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String

        func run() async throws {
            let stage = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.stage(named: name) }
            print(StageText.detail(stage))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every stage, by name.")
        @OptionGroup var sockets: PasswordSockets

        func run() async throws {
            let stages = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.stages() }
            for stage in stages {
                print("\(stage.name)  backends=\(stage.backends.map(\.name).joined(separator: ","))  attempts=\(stage.failedAttemptsBeforeCancel)")
            }
            print("\(stages.count) stage\(stages.count == 1 ? "" : "s")")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stage.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String
        @OptionGroup var confirmation: Confirmation

        func run() async throws {
            try confirmation.confirm("delete stage \(name)")
            try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.deleteStage(named: name) }
            print("deleted stage \(name)")
        }
    }
}

enum StageText {
    static func detail(_ stage: Postern.Password.V1.PasswordStage) -> String {
        [
            "name:                \(stage.name)",
            "backends:            \(stage.backends.map(\.name).joined(separator: ", "))",
            "failed attempts:     \(stage.failedAttemptsBeforeCancel) before cancel",
            "show password:       \(stage.allowShowPassword ? "allowed" : "no")",
            "configuration flow:  \(stage.configurationFlow.isEmpty ? "(none)" : stage.configurationFlow)",
        ].joined(separator: "\n")
    }
}
