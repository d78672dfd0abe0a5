import Foundation
import GRDB
import PosternProtocol

extension PolicyStore {
    /// Everything the store holds, as a configuration; a policy whose stored settings did not
    /// change since `previous` keeps its compiled form.
    static func load(_ db: Database, previous: PolicyConfiguration, dependencies: PolicyDependencies) throws -> PolicyConfiguration {
        var configuration = PolicyConfiguration()
        var policyNames: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, type, settings, execution_logging FROM policy") {
            let name: String = row["name"]
            let typeName: String = row["type"]
            let settings: [UInt8] = [UInt8](row["settings"] as Data)
            guard let type = Postern.Policy.V1.PolicyType(name: typeName), let kind = PolicyKinds.kind(type) else {
                throw PolicyFailure("policy \(name) is of type \(typeName), which this version cannot run")
            }
            var message = Postern.Policy.V1.Policy(name: name, type: type, executionLogging: row["execution_logging"])
            do {
                try kind.restore(settings, &message)
            } catch {
                throw PolicyFailure("policy \(name)'s stored settings do not decode: \(error)")
            }
            let compiled: any CompiledPolicy
            if let old = previous.policies[name], old.message.type == type, old.settings == settings {
                compiled = old.compiled
            } else {
                compiled = try kind.compile(name, settings, dependencies)
            }
            configuration.policies[name] = .init(message: message, settings: settings, compiled: compiled)
            policyNames[row["id"]] = name
        }
        for row in try Row.fetchAll(db, sql: "SELECT slug, name, designation, engine_mode FROM flow") {
            let flow = Postern.Policy.V1.Flow(
                slug: row["slug"], name: row["name"],
                designation: try named(Postern.Policy.V1.Designation.self, row["designation"]),
                engineMode: try named(Postern.Policy.V1.EngineMode.self, row["engine_mode"]))
            configuration.flows[flow.slug] = flow
        }
        for row in try Row.fetchAll(db, sql: "SELECT name FROM prompt_stage") {
            let name: String = row["name"]
            configuration.promptStages[name] = Postern.Policy.V1.PromptStage(name: name)
        }
        for row in try Row.fetchAll(db, sql: "SELECT stage, field_key, label, type, required FROM prompt_field ORDER BY stage, position") {
            let field = Postern.Policy.V1.PromptField(
                fieldKey: row["field_key"], label: row["label"],
                type: try named(Postern.Policy.V1.PromptFieldType.self, row["type"]), required: row["required"])
            configuration.promptStages[row["stage"] as String]?.fields.append(field)
        }
        let stageRows = try Row.fetchAll(db, sql: """
            SELECT id, flow, stage, stage_kind, "order", evaluate_on_plan, re_evaluate_policies, engine_mode
            FROM stage_binding ORDER BY flow, "order", id
            """)
        for row in stageRows {
            let binding = Postern.Policy.V1.StageBinding(
                id: row["id"], flow: row["flow"], stage: row["stage"],
                stageKind: try named(Postern.Policy.V1.StageKind.self, row["stage_kind"]), order: row["order"],
                evaluateOnPlan: row["evaluate_on_plan"], reEvaluatePolicies: .init(on: row["re_evaluate_policies"]),
                engineMode: try named(Postern.Policy.V1.EngineMode.self, row["engine_mode"]))
            configuration.stageBindings[binding.id] = binding
            configuration.flowStages[binding.flow, default: []].append(binding)
        }
        let bindingRows = try Row.fetchAll(db, sql: """
            SELECT id, target_flow, target_stage_binding, target_prompt_stage, policy, user_id, group_name,
                   "order", enabled, negate, timeout_seconds, failure_result
            FROM binding
            """)
        for row in bindingRows {
            let target: Postern.Policy.V1.Target =
                if let flow = row["target_flow"] as String? {
                    .init(kind: .flow, name: flow)
                } else if let stageBinding = row["target_stage_binding"] as String? {
                    .init(kind: .stageBinding, name: stageBinding)
                } else {
                    .init(kind: .promptStage, name: row["target_prompt_stage"])
                }
            let binding = Postern.Policy.V1.Binding(
                id: row["id"], target: target,
                policy: (row["policy"] as Int64?).flatMap { policyNames[$0] } ?? "",
                user: row["user_id"] ?? "", group: row["group_name"] ?? "", order: row["order"],
                enabled: .init(on: row["enabled"]), negate: row["negate"], timeoutSeconds: row["timeout_seconds"],
                failureResult: row["failure_result"])
            configuration.bindings[binding.id] = binding
        }
        configuration.indexTargets()
        return configuration
    }

    private static func named<E: ProtoEnum>(_ type: E.Type, _ name: String) throws -> E {
        guard let value = E.allCases.first(where: { $0.name == name }), name != "unspecified" else {
            throw PolicyFailure("the store holds \(name), which \(E.protoName) does not list")
        }
        return value
    }
}
