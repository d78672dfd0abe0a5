import Foundation
import GRDB
import PosternProtocol
import PosternRPC

/// The changes the admin RPCs make, each one transaction (`change`): references are checked
/// in it, so nothing is stored when anything is refused.
extension PolicyStore {
    private static func refused(_ code: StatusCode, _ message: String) -> RPCError { RPCError(code: code, message: message) }

    // MARK: Policies

    func createPolicy(_ policy: Postern.Policy.V1.Policy, settings: [UInt8]) throws(RPCError) {
        try change { db, configuration in try Self.createPolicy(policy, settings: settings, db, configuration) }
    }

    static func createPolicy(_ policy: Postern.Policy.V1.Policy, settings: [UInt8], _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.policies[policy.name] == nil else {
            throw Self.refused(.alreadyExists, "a policy named \(policy.name) exists")
        }
        let now = Self.now()
        try db.execute(
            sql: "INSERT INTO policy (name, type, settings, execution_logging, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [policy.name, policy.type.name, Data(settings), policy.executionLogging, now, now])
    }

    func updatePolicy(_ policy: Postern.Policy.V1.Policy, settings: [UInt8]) throws(RPCError) {
        try change { db, configuration in try Self.updatePolicy(policy, settings: settings, db, configuration) }
    }

    static func updatePolicy(_ policy: Postern.Policy.V1.Policy, settings: [UInt8], _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard let old = configuration.policies[policy.name] else {
            throw Self.refused(.notFound, "no policy is named \(policy.name)")
        }
        guard old.message.type == policy.type else {
            throw Self.refused(
                .failedPrecondition,
                "policy \(policy.name) is a \(old.message.type.name) policy; a type cannot change (delete it and create a \(policy.type.name) one)")
        }
        try db.execute(
            sql: "UPDATE policy SET settings = ?, execution_logging = ?, updated_at = ? WHERE name = ?",
            arguments: [Data(settings), policy.executionLogging, Self.now(), policy.name])
    }

    /// The number of bindings that went with it.
    func deletePolicy(_ name: String) throws(RPCError) -> Int {
        try change { db, configuration in try Self.deletePolicy(name, db, configuration) }
    }

    static func deletePolicy(_ name: String, _ db: Database, _ configuration: PolicyConfiguration) throws -> Int {
        guard configuration.policies[name] != nil else { throw Self.refused(.notFound, "no policy is named \(name)") }
        let bindings = configuration.bindings.values.filter { $0.policy == name }.count
        try db.execute(sql: "DELETE FROM policy WHERE name = ?", arguments: [name])
        return bindings
    }

    // MARK: Flows

    func createFlow(_ flow: Postern.Policy.V1.Flow) throws(RPCError) {
        try change { db, configuration in try Self.createFlow(flow, db, configuration) }
    }

    static func createFlow(_ flow: Postern.Policy.V1.Flow, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.flows[flow.slug] == nil else { throw Self.refused(.alreadyExists, "a flow with slug \(flow.slug) exists") }
        try db.execute(
            sql: "INSERT INTO flow (slug, name, designation, engine_mode) VALUES (?, ?, ?, ?)",
            arguments: [flow.slug, flow.name, flow.designation.name, flow.engineMode.name])
    }

    func updateFlow(_ flow: Postern.Policy.V1.Flow) throws(RPCError) {
        try change { db, configuration in try Self.updateFlow(flow, db, configuration) }
    }

    static func updateFlow(_ flow: Postern.Policy.V1.Flow, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.flows[flow.slug] != nil else { throw Self.refused(.notFound, "no flow has slug \(flow.slug)") }
        try db.execute(
            sql: "UPDATE flow SET name = ?, designation = ?, engine_mode = ? WHERE slug = ?",
            arguments: [flow.name, flow.designation.name, flow.engineMode.name, flow.slug])
    }

    /// The stage bindings and bindings that went with it.
    func deleteFlow(_ slug: String) throws(RPCError) -> (stageBindings: Int, bindings: Int) {
        try change { db, configuration in try Self.deleteFlow(slug, db, configuration) }
    }

    static func deleteFlow(_ slug: String, _ db: Database, _ configuration: PolicyConfiguration) throws -> (stageBindings: Int, bindings: Int) {
        guard configuration.flows[slug] != nil else { throw Self.refused(.notFound, "no flow has slug \(slug)") }
        let stages = configuration.flowStages[slug] ?? []
        let removed = Self.bindings(to: [TargetKey(.flow, slug)] + stages.map { TargetKey(.stageBinding, $0.id) }, in: configuration)
        try db.execute(sql: "DELETE FROM flow WHERE slug = ?", arguments: [slug])
        return (stages.count, removed)
    }

    // MARK: Stage bindings

    func createStageBinding(_ binding: Postern.Policy.V1.StageBinding) throws(RPCError) -> String {
        let id = Self.newID()
        try change { db, configuration in try Self.createStageBinding(binding, id: id, db, configuration) }
        return id
    }

    static func createStageBinding(_ binding: Postern.Policy.V1.StageBinding, id: String, _ db: Database, _ configuration: PolicyConfiguration) throws {
        try Self.checkStageBinding(binding, id: id, configuration)
        try db.execute(
            sql: """
                INSERT INTO stage_binding (id, flow, stage, stage_kind, prompt_stage, "order", evaluate_on_plan, re_evaluate_policies, engine_mode)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, binding.flow, binding.stage, binding.stageKind.name, binding.stageKind == .prompt ? binding.stage : nil,
                binding.order, binding.evaluateOnPlan, binding.reEvaluatePolicies?.on ?? true, binding.engineMode.name,
            ])
    }

    func updateStageBinding(_ binding: Postern.Policy.V1.StageBinding) throws(RPCError) {
        try change { db, configuration in try Self.updateStageBinding(binding, db, configuration) }
    }

    static func updateStageBinding(_ binding: Postern.Policy.V1.StageBinding, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard let old = configuration.stageBindings[binding.id] else {
            throw Self.refused(.notFound, "no stage binding has id \(binding.id)")
        }
        guard old.flow == binding.flow else {
            throw Self.refused(.invalidArgument, "stage binding \(binding.id) is in flow \(old.flow); a stage binding cannot move to another flow")
        }
        try Self.checkStageBinding(binding, id: binding.id, configuration)
        try db.execute(
            sql: """
                UPDATE stage_binding SET stage = ?, stage_kind = ?, prompt_stage = ?, "order" = ?, evaluate_on_plan = ?,
                re_evaluate_policies = ?, engine_mode = ? WHERE id = ?
                """,
            arguments: [
                binding.stage, binding.stageKind.name, binding.stageKind == .prompt ? binding.stage : nil, binding.order,
                binding.evaluateOnPlan, binding.reEvaluatePolicies?.on ?? true, binding.engineMode.name, binding.id,
            ])
    }

    private static func checkStageBinding(_ binding: Postern.Policy.V1.StageBinding, id: String, _ configuration: PolicyConfiguration) throws {
        guard configuration.flows[binding.flow] != nil else {
            throw refused(.failedPrecondition, "stage_binding.flow: no flow has slug \(binding.flow); create it first")
        }
        if binding.stageKind == .prompt, configuration.promptStages[binding.stage] == nil {
            throw refused(.failedPrecondition, "stage_binding.stage: no prompt stage is named \(binding.stage); create it first")
        }
        let clash = (configuration.flowStages[binding.flow] ?? []).first {
            $0.id != id && $0.stage == binding.stage && $0.stageKind == binding.stageKind && $0.order == binding.order
        }
        if let clash {
            throw refused(
                .alreadyExists,
                "\(binding.stageKind.name) stage \(binding.stage) is already bound to flow \(binding.flow) at order \(binding.order) (stage binding \(clash.id))")
        }
    }

    func deleteStageBinding(_ id: String) throws(RPCError) -> Int {
        try change { db, configuration in try Self.deleteStageBinding(id, db, configuration) }
    }

    static func deleteStageBinding(_ id: String, _ db: Database, _ configuration: PolicyConfiguration) throws -> Int {
        guard configuration.stageBindings[id] != nil else { throw Self.refused(.notFound, "no stage binding has id \(id)") }
        let removed = Self.bindings(to: [TargetKey(.stageBinding, id)], in: configuration)
        try db.execute(sql: "DELETE FROM stage_binding WHERE id = ?", arguments: [id])
        return removed
    }

    // MARK: Prompt stages

    func createPromptStage(_ stage: Postern.Policy.V1.PromptStage) throws(RPCError) {
        try change { db, configuration in try Self.createPromptStage(stage, db, configuration) }
    }

    static func createPromptStage(_ stage: Postern.Policy.V1.PromptStage, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.promptStages[stage.name] == nil else {
            throw Self.refused(.alreadyExists, "a prompt stage named \(stage.name) exists")
        }
        try db.execute(sql: "INSERT INTO prompt_stage (name) VALUES (?)", arguments: [stage.name])
        try Self.insertFields(stage, db)
    }

    func updatePromptStage(_ stage: Postern.Policy.V1.PromptStage) throws(RPCError) {
        try change { db, configuration in try Self.updatePromptStage(stage, db, configuration) }
    }

    static func updatePromptStage(_ stage: Postern.Policy.V1.PromptStage, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.promptStages[stage.name] != nil else {
            throw Self.refused(.notFound, "no prompt stage is named \(stage.name)")
        }
        try db.execute(sql: "DELETE FROM prompt_field WHERE stage = ?", arguments: [stage.name])
        try Self.insertFields(stage, db)
    }

    private static func insertFields(_ stage: Postern.Policy.V1.PromptStage, _ db: Database) throws {
        for (position, field) in stage.fields.enumerated() {
            try db.execute(
                sql: "INSERT INTO prompt_field (stage, position, field_key, label, type, required) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [stage.name, position, field.fieldKey, field.label, field.type.name, field.required])
        }
    }

    func deletePromptStage(_ name: String) throws(RPCError) -> (stageBindings: Int, bindings: Int) {
        try change { db, configuration in try Self.deletePromptStage(name, db, configuration) }
    }

    static func deletePromptStage(_ name: String, _ db: Database, _ configuration: PolicyConfiguration) throws -> (stageBindings: Int, bindings: Int) {
        guard configuration.promptStages[name] != nil else { throw Self.refused(.notFound, "no prompt stage is named \(name)") }
        let stages = configuration.stageBindings.values.filter { $0.stageKind == .prompt && $0.stage == name }
        let removed = Self.bindings(
            to: [TargetKey(.promptStage, name)] + stages.map { TargetKey(.stageBinding, $0.id) }, in: configuration)
        try db.execute(sql: "DELETE FROM prompt_stage WHERE name = ?", arguments: [name])
        return (stages.count, removed)
    }

    // MARK: Bindings

    func createBinding(_ binding: Postern.Policy.V1.Binding) throws(RPCError) -> String {
        let id = Self.newID()
        try change { db, configuration in try Self.createBinding(binding, id: id, db, configuration) }
        return id
    }

    static func createBinding(_ binding: Postern.Policy.V1.Binding, id: String, _ db: Database, _ configuration: PolicyConfiguration) throws {
        let policyID = try Self.checkBinding(binding, id: id, configuration, db)
        let target = binding.target!
        try db.execute(
            sql: """
                INSERT INTO binding (id, target_flow, target_stage_binding, target_prompt_stage, policy, user_id, group_name,
                    "order", enabled, negate, timeout_seconds, failure_result)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, target.kind == .flow ? target.name : nil, target.kind == .stageBinding ? target.name : nil,
                target.kind == .promptStage ? target.name : nil, policyID, binding.user.isEmpty ? nil : binding.user,
                binding.group.isEmpty ? nil : binding.group, binding.order, binding.enabled?.on ?? true, binding.negate,
                binding.timeoutSeconds, binding.failureResult,
            ])
    }

    func updateBinding(_ binding: Postern.Policy.V1.Binding) throws(RPCError) {
        try change { db, configuration in try Self.updateBinding(binding, db, configuration) }
    }

    static func updateBinding(_ binding: Postern.Policy.V1.Binding, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard let old = configuration.bindings[binding.id] else { throw Self.refused(.notFound, "no binding has id \(binding.id)") }
        guard old.target == binding.target else {
            throw Self.refused(.invalidArgument, "binding \(binding.id) is bound to \(TargetKey(old.target!).text); a binding cannot move to another target")
        }
        let policyID = try Self.checkBinding(binding, id: binding.id, configuration, db)
        try db.execute(
            sql: """
                UPDATE binding SET policy = ?, user_id = ?, group_name = ?, "order" = ?, enabled = ?, negate = ?,
                    timeout_seconds = ?, failure_result = ? WHERE id = ?
                """,
            arguments: [
                policyID, binding.user.isEmpty ? nil : binding.user, binding.group.isEmpty ? nil : binding.group,
                binding.order, binding.enabled?.on ?? true, binding.negate, binding.timeoutSeconds, binding.failureResult,
                binding.id,
            ])
    }

    /// The stored id of the binding's policy, if it names one.
    private static func checkBinding(
        _ binding: Postern.Policy.V1.Binding, id: String, _ configuration: PolicyConfiguration, _ db: Database
    ) throws -> Int64? {
        let target = TargetKey(binding.target!)
        guard configuration.exists(target) else {
            throw refused(.failedPrecondition, "binding.target: there is no \(target.kind.name) \(target.name); create it first")
        }
        guard !binding.policy.isEmpty else { return nil }
        guard let policyID = try Int64.fetchOne(db, sql: "SELECT id FROM policy WHERE name = ?", arguments: [binding.policy]) else {
            throw refused(.failedPrecondition, "binding.policy: no policy is named \(binding.policy); create it first")
        }
        let clash = configuration.bindings.values.first {
            $0.id != id && $0.policy == binding.policy && $0.target == binding.target && $0.order == binding.order
        }
        if let clash {
            throw refused(
                .alreadyExists,
                "policy \(binding.policy) is already bound to \(target.text) at order \(binding.order) (binding \(clash.id))")
        }
        return policyID
    }

    func deleteBinding(_ id: String) throws(RPCError) {
        try change { db, configuration in try Self.deleteBinding(id, db, configuration) }
    }

    static func deleteBinding(_ id: String, _ db: Database, _ configuration: PolicyConfiguration) throws {
        guard configuration.bindings[id] != nil else { throw Self.refused(.notFound, "no binding has id \(id)") }
        try db.execute(sql: "DELETE FROM binding WHERE id = ?", arguments: [id])
    }

    private static func bindings(to targets: [TargetKey], in configuration: PolicyConfiguration) -> Int {
        let set = Set(targets)
        return configuration.bindings.values.filter { set.contains(TargetKey($0.target!)) }.count
    }
}
