import GRDB
import PosternBlueprint
import PosternProtocol
import PosternRPC

/// One postern-policy model as a blueprint sees it: its objects as fields, the canonical form
/// of the fields an entry gives (checked exactly as its RPCs check), and the store's statements
/// (the same ones the RPCs run) to create, update and delete one.
struct PolicyBlueprintCodec: Sendable {
    let model: String
    /// Every object of the model: its key and every field.
    let objects: @Sendable (PolicyConfiguration) -> [(key: String, fields: BlueprintFields)]
    /// The fields as the daemon would store them (defaults filled in), or the RPC's refusal.
    let canonical: @Sendable (BlueprintFields, PolicyDependencies) throws -> BlueprintFields
    /// Creates the object; its key.
    let create: @Sendable (BlueprintFields, PolicyDependencies, Database, PolicyConfiguration) throws -> String
    /// Updates the object with this key.
    let update: @Sendable (String, BlueprintFields, PolicyDependencies, Database, PolicyConfiguration) throws -> Void
    let delete: @Sendable (String, Database, PolicyConfiguration) throws -> Void

    static let all: [String: PolicyBlueprintCodec] = Dictionary(
        uniqueKeysWithValues: ([flow, promptStage, stageBinding, binding] + PolicyBlueprintPolicies.codecs).map { ($0.model, $0) })

    static func choice<E: ProtoEnum>(_ name: String, as type: E.Type = E.self) -> E {
        E.allCases.first { $0.name == name && $0.name != "unspecified" } ?? E.allCases.first!
    }

    // MARK: Flows

    static let flow = PolicyBlueprintCodec(
        model: "postern.flow",
        objects: { configuration in configuration.flows.values.map { ($0.slug, fields(of: $0)) } },
        canonical: { fields, _ in Self.fields(of: try ConfigurationRules.flow(flow(from: fields))) },
        create: { fields, _, db, configuration in
            let flow = try ConfigurationRules.flow(flow(from: fields))
            try PolicyStore.createFlow(flow, db, configuration)
            return flow.slug
        },
        update: { slug, fields, _, db, configuration in
            let flow = try ConfigurationRules.flow(flow(from: fields))
            guard flow.slug == slug else { throw ConfigurationRules.invalid("a flow's slug cannot change (\(slug) → \(flow.slug))") }
            try PolicyStore.updateFlow(flow, db, configuration)
        },
        delete: { slug, db, configuration in _ = try PolicyStore.deleteFlow(slug, db, configuration) })

    static func fields(of flow: Postern.Policy.V1.Flow) -> BlueprintFields {
        BlueprintFields([
            "slug": .string(flow.slug), "name": .string(flow.name), "designation": .string(flow.designation.name),
            "engine_mode": .string(flow.engineMode.name),
        ])
    }

    /// A flow without a name is named by its slug.
    static func flow(from fields: BlueprintFields) -> Postern.Policy.V1.Flow {
        let slug = fields.string("slug")
        return Postern.Policy.V1.Flow(
            slug: slug, name: fields.string("name", default: slug), designation: choice(fields.string("designation")),
            engineMode: choice(fields.string("engine_mode")))
    }

    // MARK: Prompt stages

    static let promptStage = PolicyBlueprintCodec(
        model: "postern.prompt_stage",
        objects: { configuration in configuration.promptStages.values.map { ($0.name, fields(of: $0)) } },
        canonical: { fields, _ in Self.fields(of: try ConfigurationRules.promptStage(promptStage(from: fields))) },
        create: { fields, _, db, configuration in
            let stage = try ConfigurationRules.promptStage(promptStage(from: fields))
            try PolicyStore.createPromptStage(stage, db, configuration)
            return stage.name
        },
        update: { name, fields, _, db, configuration in
            let stage = try ConfigurationRules.promptStage(promptStage(from: fields))
            guard stage.name == name else { throw ConfigurationRules.invalid("a prompt stage's name cannot change (\(name) → \(stage.name))") }
            try PolicyStore.updatePromptStage(stage, db, configuration)
        },
        delete: { name, db, configuration in _ = try PolicyStore.deletePromptStage(name, db, configuration) })

    static func fields(of stage: Postern.Policy.V1.PromptStage) -> BlueprintFields {
        BlueprintFields([
            "name": .string(stage.name),
            "fields": .list(stage.fields.map {
                .object([
                    "field_key": .string($0.fieldKey), "label": .string($0.label), "type": .string($0.type.name),
                    "required": .bool($0.required),
                ])
            }),
        ])
    }

    static func promptStage(from fields: BlueprintFields) -> Postern.Policy.V1.PromptStage {
        let items = fields.list("fields").map { item -> Postern.Policy.V1.PromptField in
            let member = BlueprintFields(item.objectMembers)
            return .init(
                fieldKey: member.string("field_key"), label: member.string("label"), type: choice(member.string("type")),
                required: member.bool("required"))
        }
        return .init(name: fields.string("name"), fields: items)
    }

    // MARK: Stage bindings

    static let stageBinding = PolicyBlueprintCodec(
        model: "postern.stage_binding",
        objects: { configuration in configuration.stageBindings.values.map { ($0.id, fields(of: $0)) } },
        canonical: { fields, _ in Self.fields(of: try ConfigurationRules.stageBinding(stageBinding(from: fields, id: ""), creating: true)) },
        create: { fields, _, db, configuration in
            let binding = try ConfigurationRules.stageBinding(stageBinding(from: fields, id: ""), creating: true)
            let id = PolicyStore.newID()
            try PolicyStore.createStageBinding(binding, id: id, db, configuration)
            return id
        },
        update: { id, fields, _, db, configuration in
            let binding = try ConfigurationRules.stageBinding(stageBinding(from: fields, id: id), creating: false)
            try PolicyStore.updateStageBinding(binding, db, configuration)
        },
        delete: { id, db, configuration in _ = try PolicyStore.deleteStageBinding(id, db, configuration) })

    static func fields(of binding: Postern.Policy.V1.StageBinding) -> BlueprintFields {
        BlueprintFields([
            "flow": .string(binding.flow), "stage": .string(binding.stage), "stage_kind": .string(binding.stageKind.name),
            "order": .integer(Int64(binding.order)), "evaluate_on_plan": .bool(binding.evaluateOnPlan),
            "re_evaluate_policies": .bool(binding.reEvaluatePolicies?.on ?? true), "engine_mode": .string(binding.engineMode.name),
        ])
    }

    static func stageBinding(from fields: BlueprintFields, id: String) -> Postern.Policy.V1.StageBinding {
        .init(
            id: id, flow: fields.string("flow"), stage: fields.string("stage"), stageKind: choice(fields.string("stage_kind")),
            order: fields.int32("order"), evaluateOnPlan: fields.bool("evaluate_on_plan"),
            reEvaluatePolicies: .init(on: fields.bool("re_evaluate_policies", default: true)),
            engineMode: choice(fields.string("engine_mode")))
    }

    // MARK: Bindings

    static let binding = PolicyBlueprintCodec(
        model: "postern.binding",
        objects: { configuration in configuration.bindings.values.map { ($0.id, fields(of: $0)) } },
        canonical: { fields, _ in Self.fields(of: try ConfigurationRules.binding(binding(from: fields, id: ""), creating: true)) },
        create: { fields, _, db, configuration in
            let binding = try ConfigurationRules.binding(binding(from: fields, id: ""), creating: true)
            let id = PolicyStore.newID()
            try PolicyStore.createBinding(binding, id: id, db, configuration)
            return id
        },
        update: { id, fields, _, db, configuration in
            let binding = try ConfigurationRules.binding(binding(from: fields, id: id), creating: false)
            try PolicyStore.updateBinding(binding, db, configuration)
        },
        delete: { id, db, configuration in try PolicyStore.deleteBinding(id, db, configuration) })

    static func fields(of binding: Postern.Policy.V1.Binding) -> BlueprintFields {
        var fields = BlueprintFields([
            "target": .string(targetText(binding.target)), "order": .integer(Int64(binding.order)),
            "enabled": .bool(binding.enabled?.on ?? true), "negate": .bool(binding.negate),
            "timeout": .integer(Int64(binding.timeoutSeconds)), "failure_result": .bool(binding.failureResult),
        ])
        for (field, value) in [("policy", binding.policy), ("user", binding.user), ("group", binding.group)] where !value.isEmpty {
            fields[field] = .string(value)
        }
        return fields
    }

    static func binding(from fields: BlueprintFields, id: String) -> Postern.Policy.V1.Binding {
        .init(
            id: id, target: target(fields.string("target")), policy: fields.string("policy"), user: fields.string("user"),
            group: fields.string("group"), order: fields.int32("order"), enabled: .init(on: fields.bool("enabled", default: true)),
            negate: fields.bool("negate"), timeoutSeconds: fields.uint32("timeout"), failureResult: fields.bool("failure_result"))
    }

    /// A target as blueprints and the CLI write it: `flow:SLUG`, `stage-binding:ID`, `prompt-stage:NAME`.
    static func targetText(_ target: Postern.Policy.V1.Target?) -> String {
        guard let target else { return "" }
        return target.kind.name.replacingOccurrences(of: "_", with: "-") + ":" + target.name
    }

    /// nil for text that is no target (the parser refuses such text; ConfigurationRules then
    /// says the target is missing).
    static func target(_ text: String) -> Postern.Policy.V1.Target? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kind = text[..<colon].replacingOccurrences(of: "-", with: "_")
        guard let known = Postern.Policy.V1.TargetKind.allCases.first(where: { $0.name == kind && $0 != .unspecified }) else {
            return nil
        }
        return .init(kind: known, name: String(text[text.index(after: colon)...]))
    }
}

extension BlueprintValue {
    /// An object's members; none for any other value.
    var objectMembers: [String: BlueprintValue] {
        if case .object(let members) = self { return members }
        return [:]
    }
}
