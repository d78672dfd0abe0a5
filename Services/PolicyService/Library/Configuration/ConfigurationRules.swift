import PosternProtocol
import PosternRPC

/// What each configured object may say (docs/policies.md, docs/flows.md): requests are checked
/// here, field by field, and come out canonical (defaults filled in) before the store sees them.
/// References to other objects (a binding's target and policy) are checked by the store, in
/// the transaction that writes.
enum ConfigurationRules {
    static let maximumNameCharacters = 128
    static let maximumNameBytes = 512
    static let maximumLabelBytes = 1024
    static let maximumFields = 100
    static let defaultTimeoutSeconds: UInt32 = 30
    static let maximumTimeoutSeconds: UInt32 = 3600

    static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    /// A policy, prompt stage or group name: 1…128 characters, no control or invisible ones.
    static func name(_ value: String, _ field: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw invalid("\(field) is missing") }
        guard value.utf8.count <= maximumNameBytes, value.count <= maximumNameCharacters else {
            throw invalid("\(field) is longer than \(maximumNameCharacters) characters")
        }
        if let problem = IdentifierCharacters.problem(value) { throw invalid("\(field) \(problem)") }
        return value
    }

    /// A flow slug: 1…128 of a-z, 0-9, '-' and '_'.
    static func slug(_ value: String, _ field: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw invalid("\(field) is missing") }
        guard value.utf8.count <= maximumNameCharacters,
              value.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F })
        else { throw invalid("\(field) must be 1…\(maximumNameCharacters) of a-z, 0-9, '-' and '_'") }
        return value
    }

    /// An id Create gave: 32 lowercase hex digits.
    static func id(_ value: String, _ field: String) throws(RPCError) -> String {
        guard value.utf8.count == 32, value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw invalid(value.isEmpty ? "\(field) is missing" : "\(field) is not an id Create gave (32 lowercase hex digits)")
        }
        return value
    }

    static func mode(_ value: Postern.Policy.V1.EngineMode) -> Postern.Policy.V1.EngineMode {
        value == .unspecified ? .any : value
    }

    /// A prompt field's key (what `prompt_data` is keyed by): 1…128 of a-z, A-Z, 0-9 and '_'.
    static func fieldKey(_ value: String, _ field: String) throws(RPCError) {
        guard !value.isEmpty, value.utf8.count <= maximumNameCharacters,
              value.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F })
        else { throw invalid("\(field) must be 1…\(maximumNameCharacters) of a-z, A-Z, 0-9 and '_'") }
    }

    static func policy(_ message: Postern.Policy.V1.Policy?, _ dependencies: PolicyDependencies) throws(RPCError) -> (Postern.Policy.V1.Policy, settings: [UInt8]) {
        guard var policy = message else { throw invalid("policy is missing") }
        policy.name = try name(policy.name, "policy.name")
        guard policy.type != .unspecified else {
            throw invalid("policy.type is missing: name one of " + Postern.Policy.V1.PolicyType.allCases.dropFirst().map(\.name).joined(separator: ", "))
        }
        guard let kind = PolicyKinds.kind(policy.type) else {
            throw RPCError(
                code: .failedPrecondition,
                message: "policy type \(policy.type.name) is not available in this version of postern-policy; available: "
                    + PolicyKinds.built.map(\.name).sorted().joined(separator: ", "))
        }
        let foreign = PolicyKinds.carried(by: policy).filter { $0 != policy.type }
        guard foreign.isEmpty else {
            throw invalid("a \(policy.type.name) policy carries \(foreign.map { "\($0.name) settings" }.joined(separator: " and ")); give only its own")
        }
        let settings = try kind.settings(policy, dependencies)
        // The stored, canonical form: the settings as they will be read back.
        var canonical = Postern.Policy.V1.Policy(name: policy.name, type: policy.type, executionLogging: policy.executionLogging)
        do {
            try kind.restore(settings, &canonical)
        } catch {
            throw RPCError(code: .internal, message: "the \(kind.name) settings do not read back")
        }
        return (canonical, settings)
    }

    static func flow(_ message: Postern.Policy.V1.Flow?) throws(RPCError) -> Postern.Policy.V1.Flow {
        guard var flow = message else { throw invalid("flow is missing") }
        flow.slug = try slug(flow.slug, "flow.slug")
        guard !flow.name.isEmpty, flow.name.utf8.count <= 255, IdentifierCharacters.problem(flow.name) == nil else {
            throw invalid("flow.name must be 1…255 bytes without control or invisible characters")
        }
        guard flow.designation != .unspecified else {
            throw invalid("flow.designation is missing: name one of " + Postern.Policy.V1.Designation.allCases.dropFirst().map(\.name).joined(separator: ", "))
        }
        flow.engineMode = mode(flow.engineMode)
        return flow
    }

    static func stageBinding(_ message: Postern.Policy.V1.StageBinding?, creating: Bool) throws(RPCError) -> Postern.Policy.V1.StageBinding {
        guard var binding = message else { throw invalid("stage_binding is missing") }
        if creating {
            guard binding.id.isEmpty else { throw invalid("stage_binding.id must be empty: Create gives it") }
        } else {
            binding.id = try id(binding.id, "stage_binding.id")
        }
        binding.flow = try slug(binding.flow, "stage_binding.flow")
        binding.stage = try name(binding.stage, "stage_binding.stage")
        guard binding.stageKind != .unspecified else { throw invalid("stage_binding.stage_kind is missing: password or prompt") }
        binding.reEvaluatePolicies = .init(on: binding.reEvaluatePolicies?.on ?? true)
        binding.engineMode = mode(binding.engineMode)
        return binding
    }

    static func promptStage(_ message: Postern.Policy.V1.PromptStage?) throws(RPCError) -> Postern.Policy.V1.PromptStage {
        guard let stage = message else { throw invalid("prompt_stage is missing") }
        _ = try name(stage.name, "prompt_stage.name")
        guard stage.fields.count <= maximumFields else { throw invalid("prompt_stage.fields holds \(stage.fields.count); at most \(maximumFields)") }
        var keys: Set<String> = []
        for (index, field) in stage.fields.enumerated() {
            let place = "prompt_stage.fields[\(index)]"
            try fieldKey(field.fieldKey, "\(place).field_key")
            guard keys.insert(field.fieldKey).inserted else { throw invalid("\(place).field_key \(field.fieldKey) is used twice") }
            guard field.label.utf8.count <= maximumLabelBytes, IdentifierCharacters.problem(field.label) == nil else {
                throw invalid("\(place).label must be at most \(maximumLabelBytes) bytes without control or invisible characters")
            }
            guard field.type != .unspecified else { throw invalid("\(place).type is missing") }
        }
        return stage
    }

    static func binding(_ message: Postern.Policy.V1.Binding?, creating: Bool) throws(RPCError) -> Postern.Policy.V1.Binding {
        guard var binding = message else { throw invalid("binding is missing") }
        if creating {
            guard binding.id.isEmpty else { throw invalid("binding.id must be empty: Create gives it") }
        } else {
            binding.id = try id(binding.id, "binding.id")
        }
        binding.target = try target(binding.target, "binding.target")
        let subjects = [("policy", binding.policy), ("user", binding.user), ("group", binding.group)].filter { !$0.1.isEmpty }
        guard subjects.count == 1 else {
            throw invalid(
                subjects.isEmpty
                    ? "binding names none of policy, user and group: set exactly one"
                    : "binding names \(subjects.map(\.0).joined(separator: " and ")): set only one of policy, user and group")
        }
        if !binding.policy.isEmpty { binding.policy = try name(binding.policy, "binding.policy") }
        if !binding.group.isEmpty { binding.group = try name(binding.group, "binding.group") }
        if !binding.user.isEmpty {
            guard binding.user.utf8.count <= ContextUser.maximumIDBytes, IdentifierCharacters.problem(binding.user) == nil else {
                throw invalid("binding.user must be a user id of at most \(ContextUser.maximumIDBytes) bytes without control characters")
            }
        }
        binding.enabled = .init(on: binding.enabled?.on ?? true)
        if binding.timeoutSeconds == 0 { binding.timeoutSeconds = defaultTimeoutSeconds }
        guard binding.timeoutSeconds <= maximumTimeoutSeconds else {
            throw invalid("binding.timeout_seconds is \(binding.timeoutSeconds); at most \(maximumTimeoutSeconds)")
        }
        return binding
    }

    static func target(_ message: Postern.Policy.V1.Target?, _ field: String) throws(RPCError) -> Postern.Policy.V1.Target {
        guard let target = message else { throw invalid("\(field) is missing") }
        switch target.kind {
        case .unspecified: throw invalid("\(field).kind is missing: flow, stage_binding or prompt_stage")
        case .flow: _ = try slug(target.name, "\(field).name")
        case .stageBinding: _ = try id(target.name, "\(field).name")
        case .promptStage: _ = try name(target.name, "\(field).name")
        }
        return target
    }
}
