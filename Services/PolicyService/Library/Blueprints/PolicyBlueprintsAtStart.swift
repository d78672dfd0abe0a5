import Logging
import PosternBlueprint
import PosternDaemon
import PosternRPC

/// postern-policy's `blueprints.directory`, applied at start (docs/blueprints.md "At start"):
/// a file with problems, or an entry refused, keeps the daemon from starting, every problem said.
enum PolicyBlueprintsAtStart {
    static func apply(directory: String?, environment: [String: String], store: PolicyStore, logger: Logger) throws(StartupError) {
        guard let directory else { return }
        let found: (files: [String], part: BlueprintParts.Part)?
        do {
            found = try BlueprintDirectory.part(for: .policy, directory: directory, environment: environment)
        } catch {
            throw StartupError("the blueprints in \(directory) (key blueprints.directory) have problems:\n\(error.description)")
        }
        guard let found else {
            logger.info("no blueprints directory", metadata: ["blueprints_directory": "\(directory)"])
            return
        }
        guard !found.part.entries.isEmpty else { return }
        do {
            let blueprint = try BlueprintRequest.parse(found.part.yaml, daemon: .policy)
            let results = try PolicyBlueprintApplier(store: store).apply(blueprint, locations: found.part.locations, dryRun: false)
            BlueprintRequest.log(results, blueprint: blueprint, dryRun: false, logger)
        } catch {
            throw StartupError("the blueprints in \(directory) (key blueprints.directory) were refused, nothing applied:\n\(error.message)")
        }
    }
}
