import Foundation

/// What `postern blueprint apply` sends each daemon, and what a daemon applies of its
/// `blueprints.directory`: one document per daemon holding its
/// entries of every file, in file order, ids made unique per file (`F1/flow`), and `!KeyOf` to
/// an entry that another daemon keeps replaced by that entry's key (a flow's slug, a stage's
/// name), which the file itself gives.
public struct BlueprintParts: Sendable {
    public struct Part: Sendable {
        public var entries: [BlueprintWriter.Entry] = []
        /// FILE:LINE:COLUMN of each entry.
        public var locations: [String] = []

        /// The document a daemon reads.
        public var yaml: String { BlueprintWriter.yaml(name: "postern apply", entries: entries) }
    }

    public var parts: [BlueprintDaemon: Part] = [:]
    /// References across daemons that cannot be resolved.
    public var problems: [BlueprintProblem] = []

    /// The parts of the blueprint `files`: every problem of every file, and every reference
    /// across daemons that cannot be resolved, thrown together.
    public static func reading(_ files: [String], with parser: BlueprintParser) throws(BlueprintProblems) -> BlueprintParts {
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
        return parts
    }

    public init(_ blueprints: [Blueprint]) {
        for (fileIndex, blueprint) in blueprints.enumerated() {
            let byID = Dictionary(blueprint.entries.compactMap { entry in entry.id.map { ($0, entry) } }) { first, _ in first }
            // In file order: the daemon orders them again after their references.
            for entry in blueprint.entries.sorted(by: { $0.index < $1.index }) {
                var written = BlueprintWriter.Entry(entry)
                written.id = entry.id.map { "F\(fileIndex + 1)/\($0)" }
                written.identifiers = entry.identifiers.mapValues { localise($0, entry, byID, fileIndex) }
                written.attrs = entry.attrs.mapValues { localise($0, entry, byID, fileIndex) }
                parts[entry.model.daemon, default: Part()].entries.append(written)
                parts[entry.model.daemon, default: Part()].locations.append(entry.location.description)
            }
        }
    }

    /// A value for `entry`'s daemon: `!KeyOf` to its own daemon's entries renamed for the file,
    /// to another daemon's replaced by the key; `!Find` of another daemon's model by its key
    /// field replaced by that key.
    mutating func localise(_ value: BlueprintValue, _ entry: BlueprintEntry, _ byID: [String: BlueprintEntry], _ file: Int) -> BlueprintValue {
        switch value {
        case .keyOf(let id):
            guard let target = byID[id] else { return value }
            guard target.model.daemon != entry.model.daemon else { return .keyOf("F\(file + 1)/\(id)") }
            guard !target.model.keyIsGenerated,
                  case .string(let key)? = target.attrs[target.model.key] ?? target.identifiers[target.model.key]
            else {
                problems.append(BlueprintProblem(entry.location, "!KeyOf \(id): the key of a \(target.model.name) is made by \(target.model.daemon.rawValue), so \(entry.model.daemon.rawValue)'s entries cannot refer to it"))
                return value
            }
            return .string(key)
        case .find(let model, let query):
            guard let found = BlueprintSchema.models[model], found.daemon != entry.model.daemon else {
                return .find(model: model, query: query.mapValues { localise($0, entry, byID, file) })
            }
            guard query.count == 1, case .string(let key)? = query[found.key] else {
                problems.append(BlueprintProblem(entry.location, "!Find of \(model) from a \(entry.model.name): \(found.daemon.rawValue) keeps it, so find it by its \(found.key) alone"))
                return value
            }
            return .string(key)
        case .list(let items):
            return .list(items.map { localise($0, entry, byID, file) })
        case .object(let members):
            return .object(members.mapValues { localise($0, entry, byID, file) })
        case .string, .integer, .bool:
            return value
        }
    }
}
