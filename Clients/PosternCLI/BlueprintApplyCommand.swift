import ArgumentParser
import Foundation
import PosternBlueprint
import PosternClient

extension BlueprintCommand {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply blueprint files to postern-password and postern-policy: all checked first, each daemon's part in one transaction.",
            discussion: "Exit 64: a file has problems; 1: a daemon refused (nothing of it changed).")
        @OptionGroup var sockets: BlueprintSockets
        @Argument(help: ArgumentHelp("Blueprint files.", valueName: "file")) var files: [String]
        @Flag(help: "Report what would change, and change nothing.") var dryRun = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Give at least one blueprint file.") }
        }

        func run() async throws {
            try await BlueprintApplication(files: files, sockets: sockets, output: output).run(dryRun: dryRun)
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What applying blueprint files would change (apply --dry-run).")
        @OptionGroup var sockets: BlueprintSockets
        @Argument(help: ArgumentHelp("Blueprint files.", valueName: "file")) var files: [String]
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Give at least one blueprint file.") }
        }

        func run() async throws {
            try await BlueprintApplication(files: files, sockets: sockets, output: output).run(dryRun: true)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the daemons' configuration as one blueprint; applied to an empty installation it makes the same.")
        @OptionGroup var sockets: BlueprintSockets
        @Option(help: ArgumentHelp("Only this model (repeatable), e.g. postern.flow.", valueName: "model")) var model: [String] = []

        func validate() throws {
            for name in model where BlueprintSchema.models[name] == nil {
                throw ValidationError("unknown model \(name); one of: \(BlueprintSchema.models.keys.sorted().joined(separator: ", "))")
            }
        }

        func run() async throws {
            let wanted = Set(model)
            var entries: [BlueprintWriter.Entry] = []
            for daemon in [DaemonIdentity.password, .policy] {
                let owner: BlueprintDaemon = daemon == .password ? .password : .policy
                guard wanted.isEmpty || wanted.contains(where: { BlueprintSchema.models[$0]?.daemon == owner }) else { continue }
                let text = try await withDaemon(daemon, sockets) { client throws(RPCError) in
                    try await client.call(Postern.Blueprint.V1.Blueprints.export, .init(models: model)).blueprintYaml
                }
                do {
                    let part = try BlueprintParser(environment: [:], resolvesExternalValues: false).parse(text, file: daemon.executableName)
                    entries += part.entries.map(BlueprintWriter.Entry.init)
                } catch {
                    printError("postern: \(daemon.executableName)'s export does not read back: \(error)")
                    throw ExitCode(ExitStatus.failed)
                }
            }
            print(BlueprintWriter.yaml(name: "postern export", entries: entries), terminator: "")
        }
    }
}

/// One apply or dry run across the daemons (docs/blueprints.md "Applying").
struct BlueprintApplication {
    let files: [String]
    let sockets: BlueprintSockets
    let output: OutputOptions

    /// The daemons in the order their parts are applied: stages before the flows that bind them.
    static let daemons: [(BlueprintDaemon, DaemonIdentity)] = [(.password, .password), (.policy, .policy)]

    func run(dryRun: Bool) async throws {
        let parts: BlueprintParts
        do {
            parts = try BlueprintParts.reading(files, with: BlueprintParser())
        } catch {
            for problem in error.problems { printError(problem.description) }
            printError("postern: \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"); nothing was applied")
            throw ExitCode(ExitStatus.usage)
        }
        let involved = Self.daemons.filter { parts.parts[$0.0]?.entries.isEmpty == false }
        // Every daemon checks its part before any changes: a dry run of each.
        var report: [BlueprintJSON.Result] = []
        var refusals: [(DaemonIdentity, RPCError)] = []
        for (owner, daemon) in involved {
            switch try await send(parts.parts[owner]!, to: daemon, dryRun: true) {
            case .success(let results): if dryRun { report += results.map(BlueprintJSON.Result.init) }
            case .failure(let refusal): refusals.append((daemon, refusal))
            }
        }
        guard refusals.isEmpty else {
            for (daemon, refusal) in refusals {
                printError("postern: \(daemon.executableName) refused its part (\(refusal.code.name)):")
                for line in refusal.message.split(separator: "\n") { printError("  \(line)") }
            }
            printError("postern: nothing was applied")
            if output.json {
                try emit(BlueprintJSON.Application(dryRun: dryRun, applied: false, results: [], refusals: refusals.map(BlueprintJSON.Refusal.init)))
            }
            throw ExitCode(ExitStatus.failed)
        }
        if !dryRun {
            var applied: [String] = []
            for (owner, daemon) in involved {
                if !applied.isEmpty { await Self.testPause() }
                let answer: Result<[Postern.Blueprint.V1.EntryResult], RPCError>
                do {
                    answer = try await send(parts.parts[owner]!, to: daemon, dryRun: false)
                } catch {
                    // Unreachable now (said above): what was applied stays; applying again converges.
                    printError("postern: applied before it: \(applied.isEmpty ? "nothing" : applied.joined(separator: " and ") + "'s part (listed)"); "
                        + "when \(daemon.executableName) is back, apply the same files again (applying is idempotent)")
                    if !report.isEmpty {
                        try emit(BlueprintJSON.Application(dryRun: false, applied: false, results: report, refusals: []))
                    }
                    throw error
                }
                applied.append(daemon.executableName)
                switch answer {
                case .success(let results):
                    report += results.map(BlueprintJSON.Result.init)
                case .failure(let refusal):
                    // Checked a moment ago, refused now: something changed in between. What was
                    // applied stays; applying again converges.
                    printError("postern: \(daemon.executableName) refused its part (\(refusal.code.name)) after the check passed:")
                    for line in refusal.message.split(separator: "\n") { printError("  \(line)") }
                    printError("postern: applied before it: \(report.isEmpty ? "nothing" : "what is listed"); fix and apply again (applying is idempotent)")
                    try emit(BlueprintJSON.Application(dryRun: false, applied: false, results: report, refusals: [.init((daemon, refusal))]))
                    throw ExitCode(ExitStatus.failed)
                }
            }
        }
        try emit(BlueprintJSON.Application(dryRun: dryRun, applied: !dryRun, results: report, refusals: []))
    }

    /// A daemon's answer to its part: its results, or its refusal (the problems it found).
    private func send(_ part: BlueprintParts.Part, to daemon: DaemonIdentity, dryRun: Bool) async throws -> Result<[Postern.Blueprint.V1.EntryResult], RPCError> {
        let request = Postern.Blueprint.V1.ApplyRequest(
            blueprintYaml: part.yaml, entryLocations: part.locations, dryRun: dryRun)
        return try await withDaemon(daemon, sockets) { client throws(RPCError) in
            do throws(RPCError) {
                return .success(try await client.call(Postern.Blueprint.V1.Blueprints.apply, request).results)
            } catch {
                let refusals: [StatusCode] = [.invalidArgument, .failedPrecondition, .notFound, .alreadyExists]
                guard refusals.contains(error.code) else { throw error }
                return .failure(error)
            }
        }
    }

    /// Tests only (`POSTERN_TEST_PAUSE_BETWEEN_PARTS`, seconds): waits between one daemon's
    /// part and the next, so a test can stop the second daemon there.
    static func testPause() async {
        guard let text = ProcessInfo.processInfo.environment["POSTERN_TEST_PAUSE_BETWEEN_PARTS"],
              let seconds = Double(text), seconds > 0, seconds <= 60
        else { return }
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }

    private func emit(_ application: BlueprintJSON.Application) throws {
        try output.emit(application, human: application.text)
    }
}
