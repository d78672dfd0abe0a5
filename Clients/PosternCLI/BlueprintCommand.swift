import ArgumentParser
import Foundation
import PosternBlueprint

/// `postern blueprint …`: configuration as YAML files (docs/blueprints.md).
struct BlueprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blueprint",
        abstract: "Check blueprints: the daemons' configuration as YAML files.",
        subcommands: [Validate.self, Schema.self])

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
}
