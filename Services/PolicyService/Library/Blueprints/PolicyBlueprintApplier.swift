import GRDB
import PosternBlueprint
import PosternProtocol
import PosternRPC

/// Applies a blueprint's postern-policy entries in one transaction (docs/blueprints.md
/// "Applying"): each entry in order, checked and written as its RPC would, the configuration
/// re-read after each change so the next entry sees it. Every entry is tried; if any is refused
/// the whole transaction rolls back and every refusal is reported. A dry run rolls back anyway.
struct PolicyBlueprintApplier: Sendable {
    let store: PolicyStore

    typealias Result = Postern.Blueprint.V1.EntryResult

    func apply(_ blueprint: Blueprint, locations: [String], dryRun: Bool) throws(RPCError) -> [Result] {
        let dependencies = store.dependencies
        let store = self.store
        return try store.change(rollBack: dryRun) { db, start in
            var run = Run(configuration: start)
            for entry in blueprint.entries {
                let location = entry.index < locations.count ? locations[entry.index] : entry.location.description
                do {
                    try run.apply(entry, location: location, dependencies: dependencies, db: db, store: store)
                } catch {
                    run.refused(location, error)
                }
            }
            if let refusal = run.refusal { throw refusal }
            return run.results
        }
    }

    /// The state of one apply as it goes.
    struct Run {
        var configuration: PolicyConfiguration
        var results: [Result] = []
        /// Entry id → (model, key) of the entries applied so far.
        var keys: [String: (model: String, key: String)] = [:]
        var problems: [(code: StatusCode, line: String)] = []

        var refusal: RPCError? {
            guard let first = problems.first else { return nil }
            return RPCError(code: first.code, message: problems.map(\.line).joined(separator: "\n"))
        }

        mutating func refused(_ location: String, _ error: any Error) {
            if let rpc = error as? RPCError {
                problems.append((rpc.code, "\(location): \(rpc.message)"))
            } else if let failure = error as? PolicyFailure {
                problems.append((.invalidArgument, "\(location): \(failure.message)"))
            } else {
                problems.append((.internal, "\(location): \(error)"))
            }
        }

        mutating func apply(
            _ entry: BlueprintEntry, location: String, dependencies: PolicyDependencies, db: Database, store: PolicyStore
        ) throws {
            guard let codec = PolicyBlueprintCodec.all[entry.model.name] else {
                throw RPCError(code: .invalidArgument, message: "\(entry.model.name) is \(entry.model.daemon.rawValue)'s, not postern-policy's")
            }
            let identifiers = try resolve(entry.identifiers, entry.model)
            let attrs = try resolve(entry.attrs, entry.model)
            let matches = codec.objects(configuration).filter { object in
                identifiers.allSatisfy { object.fields[$0.key] == $0.value }
            }
            guard matches.count <= 1 else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "identifiers match \(matches.count) \(entry.model.name) objects (\(matches.map(\.key).sorted().joined(separator: ", "))); give more identifiers")
            }
            var result = Result(location: location, model: entry.model.name)
            switch (entry.state, matches.first) {
            case (.absent, nil):
                result.outcome = .alreadyAbsent
                if case .string(let key) = identifiers[entry.model.key] { result.key = key }
            case (.absent, let existing?):
                try codec.delete(existing.key, db, configuration)
                configuration = try store.reload(db, previous: configuration)
                result.outcome = .deleted
                result.key = existing.key
            case (.created, let existing?):
                result.outcome = .unchanged
                result.key = existing.key
            case (_, nil):
                let fields = inferred(BlueprintFields(identifiers).merging(attrs), entry.model)
                result.key = try codec.create(fields, dependencies, db, configuration)
                configuration = try store.reload(db, previous: configuration)
                result.outcome = .created
            case (.present, let existing?):
                let fields = inferred(existing.fields.merging(identifiers).merging(attrs), entry.model)
                let changed = try codec.canonical(fields, dependencies).changed(from: existing.fields)
                result.key = existing.key
                if changed.isEmpty {
                    result.outcome = .unchanged
                } else {
                    try codec.update(existing.key, fields, dependencies, db, configuration)
                    configuration = try store.reload(db, previous: configuration)
                    result.outcome = .updated
                    result.changedFields = changed
                }
            }
            if let id = entry.id { keys[id] = (entry.model.name, result.key) }
            results.append(result)
        }

        /// A stage binding without stage_kind binds a prompt stage if one has that name, else a
        /// password stage (postern-password's, which this daemon does not see).
        func inferred(_ fields: BlueprintFields, _ model: BlueprintModel) -> BlueprintFields {
            guard model.name == "postern.stage_binding", fields["stage_kind"] == nil else { return fields }
            var fields = fields
            fields["stage_kind"] = .string(configuration.promptStages[fields.string("stage")] != nil ? "prompt" : "password")
            return fields
        }

        /// The values with `!KeyOf` and `!Find` replaced by the keys they name (a target as its
        /// text: `flow:SLUG`, `stage-binding:ID`, `prompt-stage:NAME`).
        func resolve(_ values: [String: BlueprintValue], _ model: BlueprintModel) throws -> [String: BlueprintValue] {
            var resolved: [String: BlueprintValue] = [:]
            for (field, value) in values {
                resolved[field] = try resolve(value, field: field, asTarget: model.fields[field] == .target)
            }
            return resolved
        }

        func resolve(_ value: BlueprintValue, field: String, asTarget: Bool) throws -> BlueprintValue {
            switch value {
            case .keyOf(let id):
                guard let found = keys[id] else {
                    throw RPCError(code: .failedPrecondition, message: "\(field): !KeyOf \(id) names an entry that was not applied (see its own problem)")
                }
                return .string(asTarget ? Self.targetText(found.model, found.key) : found.key)
            case .find(let model, let query):
                guard let codec = PolicyBlueprintCodec.all[model] else {
                    throw RPCError(code: .invalidArgument, message: "\(field): !Find of \(model), which postern-policy does not keep")
                }
                var wanted: [String: BlueprintValue] = [:]
                for (name, item) in query { wanted[name] = try resolve(item, field: field, asTarget: false) }
                let keyField = BlueprintSchema.models[model]?.key ?? ""
                let found = codec.objects(configuration).filter { object in
                    wanted.allSatisfy { ($0.key == keyField ? .string(object.key) : object.fields[$0.key]) == $0.value }
                }
                guard found.count == 1 else {
                    throw RPCError(
                        code: .failedPrecondition,
                        message: "\(field): !Find found \(found.count) \(model) objects with \(Self.describe(wanted)); it needs exactly one")
                }
                return .string(asTarget ? Self.targetText(model, found[0].key) : found[0].key)
            case .list(let items):
                return .list(try items.map { try resolve($0, field: field, asTarget: false) })
            case .object(let members):
                return .object(try members.mapValues { try resolve($0, field: field, asTarget: false) })
            case .string, .integer, .bool:
                return value
            }
        }

        static func targetText(_ model: String, _ key: String) -> String {
            switch model {
            case "postern.flow": "flow:\(key)"
            case "postern.stage_binding": "stage-binding:\(key)"
            case "postern.prompt_stage": "prompt-stage:\(key)"
            default: key
            }
        }

        static func describe(_ query: [String: BlueprintValue]) -> String {
            query.keys.sorted().map { key -> String in
                switch query[key]! {
                case .string(let text): "\(key) \(text)"
                case .integer(let number): "\(key) \(number)"
                case .bool(let flag): "\(key) \(flag)"
                default: key
                }
            }.joined(separator: ", ")
        }
    }
}
