import ArgumentParser
import Foundation
import PosternBlueprint
import PosternClient

/// `postern blueprint …`: configuration as YAML files (docs/blueprints.md).
struct BlueprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blueprint",
        abstract: "Apply, diff, export and check blueprints: the daemons' configuration as YAML files.",
        subcommands: [Apply.self, Diff.self, Export.self, Validate.self, Schema.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read blueprint files and list every problem with its FILE:LINE:COLUMN; no daemon is asked. Exit 64: a problem.")
        @Argument(help: ArgumentHelp("Blueprint files.", valueName: "file")) var files: [String]
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Give at least one blueprint file.") }
        }

        func run() async throws {
            let parser = BlueprintParser()
            var read: [BlueprintJSON.File] = []
            var problems: [BlueprintProblem] = []
            for file in files {
                do {
                    let blueprint = try parser.parse(contentsOf: file)
                    read.append(.init(file: file, name: blueprint.name, entries: blueprint.entries.count))
                } catch {
                    problems += error.problems
                }
            }
            if !output.json {
                for problem in problems { printError(problem.description) }
            }
            try output.emit(
                BlueprintJSON.Validation(valid: problems.isEmpty, files: read, problems: problems.map(BlueprintJSON.Problem.init)),
                human: read.map { "\($0.file): \($0.name), \($0.entries) entr\($0.entries == 1 ? "y" : "ies")" }.joined(separator: "\n")
                    + (problems.isEmpty ? "" : "\(read.isEmpty ? "" : "\n")\(problems.count) problem\(problems.count == 1 ? "" : "s")"))
            if !problems.isEmpty { throw ExitCode(ExitStatus.usage) }
        }
    }

    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of blueprint files, for editors (docs/blueprints.schema.json).")

        func run() async throws {
            print(BlueprintJSONSchema.text)
        }
    }
}

/// The `--json` shape of `blueprint validate` (docs/cli.md).
enum BlueprintJSON {
    struct Validation: Encodable {
        var valid: Bool
        var files: [File]
        var problems: [Problem]
    }

    struct File: Encodable {
        var file: String
        var name: String
        var entries: Int
    }

    struct Problem: Encodable {
        var file: String
        var line: Int
        var column: Int
        var message: String

        init(_ problem: BlueprintProblem) {
            file = problem.location.file
            line = problem.location.line
            column = problem.location.column
            message = problem.message
        }
    }

    /// One entry's outcome.
    struct Result: Encodable {
        var location: String
        var model: String
        var key: String
        var outcome: String
        var changedFields: [String]

        init(_ result: Postern.Blueprint.V1.EntryResult) {
            location = result.location
            model = result.model
            key = result.key
            outcome = result.outcome.name
            changedFields = result.changedFields
        }

        private enum CodingKeys: String, CodingKey {
            case location, model, key, outcome
            case changedFields = "changed_fields"
        }
    }

    /// A daemon's refusal of its part: one line per problem.
    struct Refusal: Encodable {
        var daemon: String
        var status: String
        var problems: [String]

        init(_ refusal: (DaemonIdentity, RPCError)) {
            daemon = refusal.0.executableName
            status = refusal.1.code.name
            problems = refusal.1.message.split(separator: "\n").map(String.init)
        }
    }

    /// `blueprint apply` and `diff`.
    struct Application: Encodable {
        var dryRun: Bool
        var applied: Bool
        var results: [Result]
        var refusals: [Refusal]

        private enum CodingKeys: String, CodingKey {
            case applied, results, refusals
            case dryRun = "dry_run"
        }

        /// One line per entry, then the counts.
        var text: String {
            let width = results.map(\.outcome.count).max() ?? 0
            var lines = results.map { result -> String in
                let padded = result.outcome.padding(toLength: width, withPad: " ", startingAt: 0)
                let fields = result.changedFields.isEmpty ? "" : " (\(result.changedFields.joined(separator: ", ")))"
                return "\(padded)  \(result.model) \(result.key)\(fields)  [\(result.location)]"
            }
            let counts = ["created", "updated", "unchanged", "deleted", "already_absent"].compactMap { outcome -> String? in
                let count = results.filter { $0.outcome == outcome }.count
                return count == 0 ? nil : "\(count) \(outcome.replacingOccurrences(of: "_", with: " "))"
            }
            lines.append((counts.isEmpty ? "nothing to apply" : counts.joined(separator: ", ")) + (dryRun ? " (dry run: nothing was changed)" : ""))
            return lines.joined(separator: "\n")
        }
    }
}
