import Logging
import PosternBlueprint
import PosternDaemon
import PosternRPC

/// postern-password's `blueprints.directory`, applied at start (docs/blueprints.md "At start"):
/// a file with problems, or an entry refused, keeps the daemon from starting, every problem said.
enum StageBlueprintsAtStart {
    static func apply(directory: String?, environment: [String: String], store: PasswordStore, logger: Logger) async throws(StartupError) {
        let found: (blueprint: Blueprint, locations: [String])?
        switch BlueprintDirectory.startup(for: .password, directory: directory, environment: environment, logger: logger) {
        case .success(let part): found = part
        case .failure(let problem): throw StartupError(problem.message)
        }
        guard let found, let directory else { return }
        do {
            let results = try await StageBlueprint.apply(found.blueprint, locations: found.locations, dryRun: false, store: store)
            BlueprintRequest.log(results, blueprint: found.blueprint, dryRun: false, logger)
        } catch {
            throw StartupError(BlueprintDirectory.refused(directory, error).message)
        }
    }
}
