import Foundation
import Logging
import PosternRPC

/// A daemon's `blueprints.directory` (docs/blueprints.md "At start"): every `*.yaml` and `*.yml`
/// file in it, in file-name order, read as `postern blueprint apply` reads files (`!Env` from the
/// daemon's environment, `!File` beside the file), and the part of them the daemon applies.
public enum BlueprintDirectory {
    /// What `daemon` applies of the blueprints in `directory`: the files read and its part;
    /// nil when there is no such directory. Every problem of every file, and every reference
    /// across daemons that cannot be resolved, is thrown together.
    public static func part(
        for daemon: BlueprintDaemon, directory: String, environment: [String: String]
    ) throws(BlueprintProblems) -> (files: [String], part: BlueprintParts.Part)? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return nil }
        let here = SourceLocation(file: directory, line: 1, column: 1)
        guard isDirectory.boolValue else { throw BlueprintProblems([BlueprintProblem(here, "not a directory")]) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw BlueprintProblems([BlueprintProblem(here, "cannot list the directory: \(error.localizedDescription)")])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory + "/" + $0 }
        let parts = try BlueprintParts.reading(files, with: BlueprintParser(environment: environment))
        return (files, parts.parts[daemon] ?? BlueprintParts.Part())
    }

    /// What a daemon applies at start of `directory` (nil: none, or a directory holding nothing
    /// of its models), parsed as its Blueprints/Apply parses a client's document; or why not.
    public static func startup(
        for daemon: BlueprintDaemon, directory: String?, environment: [String: String], logger: Logger
    ) -> Result<(blueprint: Blueprint, locations: [String])?, StartupProblem> {
        guard let directory else { return .success(nil) }
        let found: (files: [String], part: BlueprintParts.Part)?
        do {
            found = try part(for: daemon, directory: directory, environment: environment)
        } catch {
            return .failure(StartupProblem("the blueprints in \(directory) (key blueprints.directory) have problems:\n\(error.description)"))
        }
        guard let found else {
            logger.info("no blueprints directory", metadata: ["blueprints_directory": "\(directory)"])
            return .success(nil)
        }
        guard !found.part.entries.isEmpty else { return .success(nil) }
        do {
            return .success((try BlueprintRequest.parse(found.part.yaml, daemon: daemon), found.part.locations))
        } catch {
            return .failure(refused(directory, error))
        }
    }

    /// An apply at start that a daemon refused.
    public static func refused(_ directory: String, _ error: RPCError) -> StartupProblem {
        StartupProblem("the blueprints in \(directory) (key blueprints.directory) were refused, nothing applied:\n\(error.message)")
    }

    /// Why a daemon does not start (its StartupError's message).
    public struct StartupProblem: Error, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }
}
