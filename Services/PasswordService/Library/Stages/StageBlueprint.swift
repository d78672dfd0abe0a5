import Foundation
import GRDB
import PosternBlueprint
import PosternProtocol
import PosternRPC
import PosternStore

/// Password stages as blueprint entries (`postern.password_stage`, docs/blueprints.md): applied
/// in one transaction of the user store, each checked by the rules Stages/Create and Update
/// use, every refusal reported and nothing kept if there is one; exported with every field.
enum StageBlueprint {
    static let model = "postern.password_stage"
    typealias Result = Postern.Blueprint.V1.EntryResult

    static func fields(of stage: Postern.Password.V1.PasswordStage) -> BlueprintFields {
        BlueprintFields([
            "name": .string(stage.name), "backends": .list(stage.backends.map { .string($0.name) }),
            "failed_attempts_before_cancel": .integer(Int64(stage.failedAttemptsBeforeCancel)),
            "allow_show_password": .bool(stage.allowShowPassword), "configuration_flow": .string(stage.configurationFlow),
        ])
    }

    /// A stage without backends uses the internal one, as `postern stage set` does.
    static func stage(from fields: BlueprintFields) -> Postern.Password.V1.PasswordStage {
        let backends = fields["backends"] == nil
            ? [Postern.Password.V1.Backend.internal]
            : fields.list("backends").map { item -> Postern.Password.V1.Backend in
                if case .string(let name) = item { return Postern.Password.V1.Backend(name: name) ?? .unspecified }
                return .unspecified
            }
        return .init(
            name: fields.string("name"), backends: backends, failedAttemptsBeforeCancel: fields.uint32("failed_attempts_before_cancel"),
            allowShowPassword: fields.bool("allow_show_password"), configurationFlow: fields.string("configuration_flow"))
    }

    static func apply(_ blueprint: Blueprint, locations: [String], dryRun: Bool, store: PasswordStore) async throws(RPCError) -> [Result] {
        let now = Date()
        return try await store.transaction(rollBack: dryRun) { db in
            var results: [Result] = []
            var problems: [(code: StatusCode, line: String)] = []
            for entry in blueprint.entries {
                let location = entry.index < locations.count ? locations[entry.index] : entry.location.description
                do throws(RPCError) {
                    results.append(try apply(entry, location: location, now: now, db: db))
                } catch {
                    problems.append((error.code, "\(location): \(error.message)"))
                }
            }
            if let first = problems.first {
                throw RPCError(code: first.code, message: problems.map(\.line).joined(separator: "\n"))
            }
            return results
        }
    }

    /// The values, which must hold no reference left for this daemon to resolve: a client
    /// replaces `!KeyOf` and `!Find` of flows (postern-policy's) by the slug they name.
    static func plain(_ values: [String: BlueprintValue]) throws(RPCError) -> [String: BlueprintValue] {
        for (field, value) in values {
            switch value {
            case .keyOf(let id):
                throw RPCError(code: .invalidArgument, message: "\(field): !KeyOf \(id) names no postern-password entry; the client resolves it")
            case .find(let model, _):
                throw RPCError(code: .invalidArgument, message: "\(field): !Find of \(model) is resolved by the client, not postern-password")
            default:
                continue
            }
        }
        return values
    }

    static func apply(_ entry: BlueprintEntry, location: String, now: Date, db: Database) throws(RPCError) -> Result {
        let identifiers = try plain(entry.identifiers)
        let attrs = try plain(entry.attrs)
        var result = Result(location: location, model: model)
        guard case .string(let name) = identifiers["name"] else {
            throw RPCError(code: .invalidArgument, message: "identifiers.name is missing")
        }
        let existing: StoredStage?
        do {
            existing = try StoredStage.fetchOne(db, key: name)
        } catch {
            throw RPCError(code: .unavailable, message: "the user store failed: \(StoreError(error))")
        }
        result.key = name
        do {
            switch (entry.state, existing) {
            case (.absent, nil):
                result.outcome = .alreadyAbsent
            case (.absent, .some):
                _ = try StoredStage.deleteOne(db, key: name)
                result.outcome = .deleted
            case (.created, .some):
                result.outcome = .unchanged
            case (_, nil):
                let row = try StageRules.row(stage(from: BlueprintFields(identifiers).merging(attrs)), now: now)
                try row.insert(db)
                result.outcome = .created
            case (.present, let stored?):
                let old = fields(of: StageRules.message(stored))
                var row = try StageRules.row(stage(from: old.merging(identifiers).merging(attrs)), now: now)
                let changed = fields(of: StageRules.message(row)).changed(from: old)
                if changed.isEmpty {
                    result.outcome = .unchanged
                } else {
                    row.createdAt = stored.createdAt
                    try row.update(db)
                    result.outcome = .updated
                    result.changedFields = changed
                }
            }
        } catch let refusal as RPCError {
            throw refusal
        } catch {
            throw RPCError(code: .unavailable, message: "the user store failed: \(StoreError(error))")
        }
        return result
    }
}
