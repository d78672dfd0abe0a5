import Logging
import PosternProtocol
import PosternRPC

/// What a daemon's Blueprints/Apply does with the document it is sent, whichever daemon it is.
public enum BlueprintRequest {
    /// The largest document a daemon reads.
    public static let maximumBytes = 4 << 20

    /// The document, parsed as a file is (without `!Env` and `!File`, which the client
    /// resolves), holding only `daemon`'s models; INVALID_ARGUMENT with every problem otherwise.
    public static func parse(_ text: String, daemon: BlueprintDaemon) throws(RPCError) -> Blueprint {
        guard text.utf8.count <= maximumBytes else {
            throw RPCError(code: .invalidArgument, message: "blueprint_yaml is \(text.utf8.count) bytes; at most \(maximumBytes)")
        }
        let blueprint: Blueprint
        do {
            blueprint = try BlueprintParser(environment: [:], resolvesExternalValues: false).parse(text, file: "blueprint_yaml")
        } catch {
            throw RPCError(code: .invalidArgument, message: error.description)
        }
        let foreign = blueprint.entries.filter { $0.model.daemon != daemon }
        guard foreign.isEmpty else {
            throw RPCError(
                code: .invalidArgument,
                message: foreign.map { "\($0.location): \($0.model.name) is \($0.model.daemon.rawValue)'s, not \(daemon.rawValue)'s" }
                    .joined(separator: "\n"))
        }
        return blueprint
    }

    /// One line for an apply (a dry run is not an event: nothing changed).
    public static func log(_ results: [Postern.Blueprint.V1.EntryResult], blueprint: Blueprint, dryRun: Bool, _ logger: Logger) {
        guard !dryRun else { return }
        var counts: [Postern.Blueprint.V1.Outcome: Int] = [:]
        for result in results { counts[result.outcome, default: 0] += 1 }
        logger.notice(
            "blueprint_applied",
            metadata: [
                "blueprint": "\(blueprint.name)", "created": "\(counts[.created] ?? 0)", "updated": "\(counts[.updated] ?? 0)",
                "deleted": "\(counts[.deleted] ?? 0)", "unchanged": "\((counts[.unchanged] ?? 0) + (counts[.alreadyAbsent] ?? 0))",
            ])
    }
}
