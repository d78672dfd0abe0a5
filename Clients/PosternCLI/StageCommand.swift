import ArgumentParser
import PosternClient

/// `postern stage …`: password stage configurations.
struct StageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Create or replace, update, show, list and delete password stages.",
        subcommands: [Set.self, Update.self, Show.self, List.self, Delete.self])

    /// The backends named in a comma-separated list.
    static func backends(_ list: String) throws -> [Postern.Password.V1.Backend] {
        var kinds: [Postern.Password.V1.Backend] = []
        for name in list.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let kind = Postern.Password.V1.Backend(name: name), kind != .unspecified else {
                throw ValidationError("unknown backend \"\(name)\"; the backends are internal, app_password, ldap and kerberos")
            }
            kinds.append(kind)
        }
        return kinds
    }

    static func checkAttempts(_ value: UInt32?) throws {
        if let value, !(1...100).contains(value) {
            throw ValidationError("--failed-attempts-before-cancel must be 1…100, not \(value)")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a stage, or replace it whole if it exists (unset options take their defaults; see `stage update`).")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String
        @Option(help: ArgumentHelp("Backends in the order they are tried, comma-separated: internal, app_password, ldap, kerberos.", valueName: "list"))
        var backends: String = "internal"
        @Option(help: "Failed attempts before the flow is cancelled, 1…100.") var failedAttemptsBeforeCancel: UInt32 = 5
        @Flag(help: "Let the IdP offer a show-password toggle.") var allowShowPassword = false
        @Option(help: "The IdP's flow for changing a password.") var configurationFlow: String = ""
        @OptionGroup var output: OutputOptions

        func validate() throws { try StageCommand.checkAttempts(failedAttemptsBeforeCancel) }

        func run() async throws {
            let kinds = try StageCommand.backends(backends)
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
            try output.emit(JSONShape.Stage(stored), human: StageText.detail(stored))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some of a stage's settings; the others stay as they are.",
            discussion: "Reads the stage, changes what is given, and writes it back.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String
        @Option(help: ArgumentHelp("Backends in the order they are tried, comma-separated: internal, app_password, ldap, kerberos.", valueName: "list"))
        var backends: String?
        @Option(help: "Failed attempts before the flow is cancelled, 1…100.") var failedAttemptsBeforeCancel: UInt32?
        @Option(help: ArgumentHelp("Whether the IdP may offer a show-password toggle.", valueName: "true|false"))
        var allowShowPassword: Bool?
        @Option(help: "The IdP's flow for changing a password (\"\" for none).") var configurationFlow: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try StageCommand.checkAttempts(failedAttemptsBeforeCancel)
            guard backends != nil || failedAttemptsBeforeCancel != nil || allowShowPassword != nil || configurationFlow != nil else {
                throw ValidationError("Give at least one setting to change.")
            }
        }

        func run() async throws {
            let kinds = try backends.map(StageCommand.backends)
            let stored = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                var stage = try await client.stage(named: name)
                if let kinds { stage.backends = kinds }
                if let failedAttemptsBeforeCancel { stage.failedAttemptsBeforeCancel = failedAttemptsBeforeCancel }
                if let allowShowPassword { stage.allowShowPassword = allowShowPassword }
                if let configurationFlow { stage.configurationFlow = configurationFlow }
                return try await client.putStage(stage, replacing: true)
            }
            try output.emit(JSONShape.Stage(stored), human: StageText.detail(stored))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one stage.")
        @OptionGroup var sockets: PasswordSockets
        @Argument(help: "The stage's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stage = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.stage(named: name) }
            try output.emit(JSONShape.Stage(stage), human: StageText.detail(stage))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every stage, by name.")
        @OptionGroup var sockets: PasswordSockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stages = try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.stages() }
            try output.emit(["stages": stages.map(JSONShape.Stage.init)], human: StageText.table(stages))
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
    static func table(_ stages: [Postern.Password.V1.PasswordStage]) -> String {
        let width = max(4, stages.map(\.name.count).max() ?? 0)
        var lines = ["NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ATTEMPTS  BACKENDS"]
        for stage in stages {
            lines.append(
                stage.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + String(stage.failedAttemptsBeforeCancel).padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
                    + stage.backends.map(\.name).joined(separator: ", "))
        }
        lines.append("\(stages.count) stage\(stages.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

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
