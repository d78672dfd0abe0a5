import PosternBlueprint
import PosternProtocol
import PosternRPC

/// postern-policy's objects as blueprint entries (`Blueprints/Export`), so that applying the
/// export to an empty postern-policy makes the same configuration: every field written out, a
/// stage binding named by an entry id (`stage-binding-ID`) that the bindings on it refer to with
/// `!KeyOf` — its id is made anew where it is applied.
enum PolicyBlueprintExport {
    static let order = [
        "postern.flow", "postern.prompt_stage", "postern.policy.dummy", "postern.policy.expression", "postern.policy.password",
        "postern.policy.password_uniqueness", "postern.policy.password_expiry", "postern.stage_binding", "postern.binding",
    ]

    /// The models asked for (none: all of postern-policy's); unknown ones are refused, other
    /// daemons' left to them.
    static func models(_ asked: [String]) throws(RPCError) -> [String] {
        for name in asked where BlueprintSchema.models[name] == nil {
            throw RPCError(code: .invalidArgument, message: "unknown model \(name); one of: \(BlueprintSchema.models.keys.sorted().joined(separator: ", "))")
        }
        return asked.isEmpty ? order : order.filter(asked.contains)
    }

    static func entries(_ configuration: PolicyConfiguration, models: [String]) -> [BlueprintWriter.Entry] {
        var entries: [BlueprintWriter.Entry] = []
        let stageBindingsExported = models.contains("postern.stage_binding")
        for model in models {
            guard let codec = PolicyBlueprintCodec.all[model], let schema = BlueprintSchema.models[model] else { continue }
            for object in codec.objects(configuration).sorted(by: { sortKey($0.fields, $0.key) < sortKey($1.fields, $1.key) }) {
                var fields = object.fields.values
                var id: String?
                switch model {
                case "postern.stage_binding":
                    id = "stage-binding-\(object.key)"
                case "postern.binding":
                    if stageBindingsExported, case .string(let target) = fields["target"], target.hasPrefix("stage-binding:") {
                        fields["target"] = .keyOf("stage-binding-\(target.dropFirst("stage-binding:".count))")
                    }
                default:
                    break
                }
                var identifiers: [String: BlueprintValue] = [:]
                for field in schema.identifierFields { identifiers[field] = fields.removeValue(forKey: field) }
                entries.append(.init(id: id, model: model, identifiers: identifiers, attrs: fields))
            }
        }
        return entries
    }

    /// Objects in a stable order: flows and stages by name, bindings by what they bind.
    static func sortKey(_ fields: BlueprintFields, _ key: String) -> String {
        ["flow", "target", "order", "stage", "policy", "user", "group"].map { name -> String in
            switch fields[name] {
            case .string(let text): text
            case .integer(let number): String(format: "%012d", number)
            default: ""
            }
        }.joined(separator: "\u{1}") + "\u{1}" + key
    }
}
