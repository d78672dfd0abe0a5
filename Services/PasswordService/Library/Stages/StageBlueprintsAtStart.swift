import Logging
import PosternBlueprint
import PosternDaemon
import PosternRPC

/// postern-password's `blueprints.directory`, applied at start (docs/blueprints.md "At start"):
/// a file with problems, or an entry refused, keeps the daemon from starting, every problem said.
enum StageBlueprintsAtStart {
    static func apply(directory: String?, environment: [String: String], store: PasswordStore, logger: Logger) async throws(StartupError) {
        guard let directory else { return }
        let found: (files: [String], part: BlueprintParts.Part)?
        do {
            found = try BlueprintDirectory.part(for: .password, directory: directory, environment: environment)
        } catch {
            throw StartupError("the blueprints in \(directory) (key blueprints.directory) have problems:\n\(error.description)")
        }
        guard let found else {
            logger.info("no blueprints directory", metadata: ["blueprints_directory": "\(directory)"])
            return
        }
        guard !found.part.entries.isEmpty else { return }
        do {
            let blueprint = try BlueprintRequest.parse(found.part.yaml, daemon: .password)
            let results = try await StageBlueprint.apply(blueprint, locations: found.part.locations, dryRun: false, store: store)
            BlueprintRequest.log(results, blueprint: blueprint, dryRun: false, logger)
        } catch {
            throw StartupError("the blueprints in \(directory) (key blueprints.directory) were refused, nothing applied:\n\(error.message)")
        }
    }
}
