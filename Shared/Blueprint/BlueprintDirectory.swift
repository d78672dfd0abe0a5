import Foundation

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
        let parser = BlueprintParser(environment: environment)
        var blueprints: [Blueprint] = []
        var problems: [BlueprintProblem] = []
        for file in files {
            do {
                blueprints.append(try parser.parse(contentsOf: file))
            } catch {
                problems += error.problems
            }
        }
        let parts = BlueprintParts(blueprints)
        problems += parts.problems
        guard problems.isEmpty else { throw BlueprintProblems(problems) }
        return (files, parts.parts[daemon] ?? BlueprintParts.Part())
    }
}
