import PosternProtocol

/// Where bindings attach.
struct TargetKey: Hashable, Sendable {
    let kind: Postern.Policy.V1.TargetKind
    let name: String

    init(_ kind: Postern.Policy.V1.TargetKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    init(_ target: Postern.Policy.V1.Target) { self.init(target.kind, target.name) }

    var text: String { "\(kind.name) \(name)" }
}

/// The whole configuration in memory, as the store holds it after a committed change: what
/// every read and every evaluation uses. It is replaced as a whole after each change, so an
/// evaluation sees one consistent state, and the very next call after a change sees the change
/// (nothing is cached beyond it, so nothing can be stale).
struct PolicyConfiguration: Sendable {
    struct PolicyEntry: Sendable {
        let message: Postern.Policy.V1.Policy
        /// The stored settings, to reuse the compiled policy when they did not change.
        let settings: [UInt8]
        let compiled: any CompiledPolicy
    }

    var policies: [String: PolicyEntry] = [:]
    var flows: [String: Postern.Policy.V1.Flow] = [:]
    var promptStages: [String: Postern.Policy.V1.PromptStage] = [:]
    var stageBindings: [String: Postern.Policy.V1.StageBinding] = [:]
    /// Each flow's stage bindings by ascending order.
    var flowStages: [String: [Postern.Policy.V1.StageBinding]] = [:]
    var bindings: [String: Postern.Policy.V1.Binding] = [:]
    /// Every target that exists — each flow, stage binding and prompt stage — with its enabled
    /// bindings, ready for the engine: one lookup answers both "does it exist?" and "what is bound?".
    var targets: [TargetKey: EngineTarget] = [:]

    /// The engine's view of `key`: its mode and enabled bindings (none when nothing is bound).
    func engineTarget(_ key: TargetKey) -> EngineTarget {
        targets[key] ?? EngineTarget(mode: mode(of: key), bindings: [])
    }

    /// A target's engine mode: a flow's or stage binding's own; prompt stages' validation is
    /// always `all` (authentik's).
    func mode(of key: TargetKey) -> Postern.Policy.V1.EngineMode {
        switch key.kind {
        case .flow: flows[key.name]?.engineMode ?? .any
        case .stageBinding: stageBindings[key.name]?.engineMode ?? .any
        case .promptStage, .unspecified: .all
        }
    }

    /// `targets` holds every existing target, bound or not.
    func exists(_ key: TargetKey) -> Bool { targets[key] != nil }

    /// Groups the bindings by target for the engine, once per change.
    mutating func indexTargets() {
        var grouped: [TargetKey: [Postern.Policy.V1.Binding]] = [:]
        for binding in bindings.values where binding.enabled?.on ?? true {
            grouped[TargetKey(binding.target!), default: []].append(binding)
        }
        targets = [:]
        let keys = flows.keys.map { TargetKey(.flow, $0) } + stageBindings.keys.map { TargetKey(.stageBinding, $0) }
            + promptStages.keys.map { TargetKey(.promptStage, $0) }
        for key in keys where grouped[key] == nil {
            targets[key] = EngineTarget(mode: mode(of: key), bindings: [])
        }
        for (key, list) in grouped {
            let engineBindings = list.sorted { ($0.order, $0.id) < ($1.order, $1.id) }.map { binding in
                let subject: EngineBinding.Subject =
                    if !binding.policy.isEmpty, let policy = policies[binding.policy] {
                        .policy(name: binding.policy, compiled: policy.compiled, executionLogging: policy.message.executionLogging)
                    } else if !binding.user.isEmpty {
                        .user(binding.user)
                    } else {
                        .group(binding.group)
                    }
                return EngineBinding(
                    id: binding.id, order: binding.order, subject: subject, negate: binding.negate,
                    timeout: .seconds(Int64(binding.timeoutSeconds)), failureResult: binding.failureResult)
            }
            targets[key] = EngineTarget(mode: mode(of: key), bindings: engineBindings)
        }
    }
}

/// One published configuration: evaluations hold it (one reference) instead of copying the
/// configuration's tables.
final class ConfigurationSnapshot: Sendable {
    let configuration: PolicyConfiguration
    init(_ configuration: PolicyConfiguration) { self.configuration = configuration }
}
