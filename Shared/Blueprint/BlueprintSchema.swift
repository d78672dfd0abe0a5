import PosternProtocol

/// What a field of a blueprint entry holds (docs/blueprints.md "Models").
public indirect enum BlueprintFieldType: Sendable, Equatable {
    case string
    case integer(ClosedRange<Int64>)
    case bool
    /// One of these names.
    case choice([String])
    case list(BlueprintFieldType)
    /// A mapping with these members (`required` must be there).
    case object([String: BlueprintFieldType], required: Set<String>)
    /// Another object, by its key (a flow's slug, a stage's name, a binding's id): a string, a
    /// `!KeyOf` to an entry of one of `models`, or a `!Find` of one.
    case reference([String])
    /// A binding's target: `flow:SLUG`, `stage-binding:ID`, `prompt-stage:NAME`, or a `!KeyOf`
    /// or `!Find` of a flow, stage binding or prompt stage.
    case target

    /// How a message names this type: "a string", "one of: any, all".
    var described: String {
        switch self {
        case .string: "a string"
        case .integer(let range): "an integer (\(range.lowerBound)…\(range.upperBound))"
        case .bool: "true or false"
        case .choice(let names): "one of: \(names.joined(separator: ", "))"
        case .list(let element): "a list, each \(element.described)"
        case .object: "a mapping"
        case .reference(let models): "the key of a \(models.joined(separator: " or ")) (a string, !KeyOf or !Find)"
        case .target: "a target: flow:SLUG, stage-binding:ID, prompt-stage:NAME, or a !KeyOf or !Find of one"
        }
    }
}

/// Which daemon keeps a model's objects.
public enum BlueprintDaemon: String, Sendable, CaseIterable {
    case password = "postern-password"
    case policy = "postern-policy"
}

/// One kind of object a blueprint can describe.
public struct BlueprintModel: Sendable {
    public let name: String
    public let daemon: BlueprintDaemon
    /// The field an object is known by elsewhere (what `!KeyOf` gives): `slug`, `name` or `id`.
    public let key: String
    /// Fields `identifiers` may use to find the existing object.
    public let identifierFields: [String]
    public let fields: [String: BlueprintFieldType]
    /// Fields an object must have to be created (in `identifiers` or `attrs`).
    public let required: Set<String>
    /// The key is made by the daemon (a binding's id), so it cannot be given.
    public let keyIsGenerated: Bool
}

/// Every model (docs/blueprints.md "Models"; docs/blueprints.schema.json is generated from it).
public enum BlueprintSchema {
    static let int32 = Int64(Int32.min)...Int64(Int32.max)
    static let uint32 = Int64(0)...Int64(UInt32.max)

    static func names<E: ProtoEnum>(_ type: E.Type) -> [String] {
        type.allCases.map(\.name).filter { $0 != "unspecified" }
    }

    /// What a binding's target may be.
    public static let targetModels = ["postern.flow", "postern.stage_binding", "postern.prompt_stage"]
    /// How a target is written as text: `flow:SLUG`, `stage-binding:ID`, `prompt-stage:NAME`.
    public static let targetPrefixes = ["flow:", "stage-binding:", "prompt-stage:"]

    static let policyModels = ["dummy", "expression", "password", "password_uniqueness", "password_expiry"].map { "postern.policy.\($0)" }

    static func policy(_ type: String, _ settings: [String: BlueprintFieldType], required: Set<String> = []) -> BlueprintModel {
        BlueprintModel(
            name: "postern.policy.\(type)", daemon: .policy, key: "name", identifierFields: ["name"],
            fields: settings.merging(["name": .string, "execution_logging": .bool]) { $1 },
            required: required.union(["name"]), keyIsGenerated: false)
    }

    public static let models: [String: BlueprintModel] = {
        let list: [BlueprintModel] = [
            BlueprintModel(
                name: "postern.password_stage", daemon: .password, key: "name", identifierFields: ["name"],
                fields: [
                    "name": .string,
                    "backends": .list(.choice(names(Postern.Password.V1.Backend.self))),
                    "failed_attempts_before_cancel": .integer(uint32),
                    "allow_show_password": .bool,
                    "configuration_flow": .reference(["postern.flow"]),
                ],
                required: ["name"], keyIsGenerated: false),
            BlueprintModel(
                name: "postern.flow", daemon: .policy, key: "slug", identifierFields: ["slug"],
                fields: [
                    "slug": .string, "name": .string,
                    "designation": .choice(names(Postern.Policy.V1.Designation.self)),
                    "engine_mode": .choice(names(Postern.Policy.V1.EngineMode.self)),
                ],
                required: ["slug", "designation"], keyIsGenerated: false),
            BlueprintModel(
                name: "postern.prompt_stage", daemon: .policy, key: "name", identifierFields: ["name"],
                fields: [
                    "name": .string,
                    "fields": .list(.object(
                        [
                            "field_key": .string, "label": .string, "required": .bool,
                            "type": .choice(names(Postern.Policy.V1.PromptFieldType.self)),
                        ],
                        required: ["field_key", "type"])),
                ],
                required: ["name"], keyIsGenerated: false),
            BlueprintModel(
                name: "postern.stage_binding", daemon: .policy, key: "id", identifierFields: ["flow", "stage", "order"],
                fields: [
                    "flow": .reference(["postern.flow"]),
                    "stage": .reference(["postern.password_stage", "postern.prompt_stage"]),
                    "stage_kind": .choice(names(Postern.Policy.V1.StageKind.self)),
                    "order": .integer(int32),
                    "evaluate_on_plan": .bool, "re_evaluate_policies": .bool,
                    "engine_mode": .choice(names(Postern.Policy.V1.EngineMode.self)),
                ],
                required: ["flow", "stage", "order"], keyIsGenerated: true),
            BlueprintModel(
                name: "postern.binding", daemon: .policy, key: "id", identifierFields: ["target", "policy", "user", "group", "order"],
                fields: [
                    "target": .target, "policy": .reference(policyModels), "user": .string, "group": .string,
                    "order": .integer(int32), "enabled": .bool, "negate": .bool, "timeout": .integer(uint32),
                    "failure_result": .bool,
                ],
                required: ["target", "order"], keyIsGenerated: true),
            policy("dummy", ["result": .bool, "wait_min": .integer(uint32), "wait_max": .integer(uint32)]),
            policy("expression", ["expression": .string], required: ["expression"]),
            policy("password", [
                "password_field": .string, "check_static_rules": .bool, "length_min": .integer(uint32),
                "length_max": .integer(uint32), "amount_digits": .integer(uint32), "amount_lowercase": .integer(uint32),
                "amount_uppercase": .integer(uint32), "amount_symbols": .integer(uint32), "symbol_charset": .string,
                "error_message": .string, "similar_to_user": .bool,
            ]),
            policy("password_uniqueness", ["password_field": .string, "num_historical_passwords": .integer(uint32)]),
            policy("password_expiry", ["days": .integer(uint32), "deny_only": .bool], required: ["days"]),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}
