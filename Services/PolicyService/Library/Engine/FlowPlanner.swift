import PosternProtocol
import PosternRPC

/// authentik's flow planner and its "when the stage runs" check (docs/flows.md):
/// - Plan: the flow's own bindings first (fail: not applicable, with authentik's denial text);
///   then each stage binding in order — with evaluate_on_plan its bindings decide now whether
///   it stays; a kept one with re_evaluate_policies is marked to be checked again when it runs.
/// - EvaluateStage: a stage binding's bindings, when re_evaluate_policies is on; otherwise it
///   runs unchecked.
/// Nothing is cached: every plan reads the configuration as it is.
struct FlowPlanner: Sendable {
    static let denialWithoutMessages = "Flow does not apply to current user."

    let engine: PolicyEngine

    struct Plan: Sendable {
        let flowVerdict: Verdict
        let stages: [(binding: Postern.Policy.V1.StageBinding, verdict: Verdict?)]

        func message() -> Postern.Policy.V1.PlanResponse {
            var response = Postern.Policy.V1.PlanResponse(applicable: flowVerdict.passing, flowVerdict: flowVerdict.message())
            guard flowVerdict.passing else {
                response.denial = flowVerdict.messages.isEmpty ? FlowPlanner.denialWithoutMessages : flowVerdict.messages.joined(separator: "\n")
                return response
            }
            for (binding, verdict) in stages {
                let planned = Postern.Policy.V1.PlannedStage(
                    stageBindingID: binding.id, stage: binding.stage, stageKind: binding.stageKind, order: binding.order,
                    evaluateWhenRun: binding.reEvaluatePolicies?.on ?? true, planVerdict: verdict?.message())
                if verdict?.passing ?? true {
                    response.stages.append(planned)
                } else {
                    response.skipped.append(planned)
                }
            }
            return response
        }
    }

    /// The plan of `flow`: at once when every policy involved answers at once.
    func plan(_ flow: String, _ snapshot: ConfigurationSnapshot, _ request: PolicyRequest) throws(RPCError) -> Staged<Plan> {
        guard let flowTarget = snapshot.configuration.targets[TargetKey(.flow, flow)] else {
            throw RPCError(code: .notFound, message: "no flow has slug \(flow)")
        }
        let stages = snapshot.configuration.flowStages[flow] ?? []
        let flowRun = engine.evaluate(flowTarget, request)
        let engine = self.engine
        // The stages' plan-time checks wait for the flow's verdict: a flow that does not apply
        // runs none of them (as authentik's planner stops there).
        let stageChecks: @Sendable () -> [VerdictRun?] = {
            stages.map { binding in
                binding.evaluateOnPlan
                    ? engine.evaluate(snapshot.configuration.engineTarget(TargetKey(.stageBinding, binding.id)), request) : nil
            }
        }
        if case .done(let flowVerdict) = flowRun {
            guard flowVerdict.passing else { return .now(Plan(flowVerdict: flowVerdict, stages: [])) }
            let runs = stageChecks()
            if runs.allSatisfy({ if case .waits = $0 { false } else { true } }) {
                return .now(Plan(flowVerdict: flowVerdict, stages: zip(stages, runs).map { binding, run in
                    if case .done(let verdict)? = run { (binding, verdict) } else { (binding, nil) }
                }))
            }
            return .later { await Self.finish(flowVerdict, stages, runs) }
        }
        return .later {
            let flowVerdict = await flowRun.value()
            guard flowVerdict.passing else { return Plan(flowVerdict: flowVerdict, stages: []) }
            return await Self.finish(flowVerdict, stages, stageChecks())
        }
    }

    /// The plan once the stages' plan-time checks that wait are done (concurrently).
    private static func finish(_ flowVerdict: Verdict, _ stages: [Postern.Policy.V1.StageBinding], _ runs: [VerdictRun?]) async -> Plan {
        let verdicts = await withTaskGroup(of: (Int, Verdict).self) { group in
            for (index, run) in runs.enumerated() {
                guard let run else { continue }
                group.addTask { (index, await run.value()) }
            }
            var verdicts = [Verdict?](repeating: nil, count: runs.count)
            for await (index, verdict) in group { verdicts[index] = verdict }
            return verdicts
        }
        return Plan(flowVerdict: flowVerdict, stages: Array(zip(stages, verdicts)))
    }

    /// The "when the stage runs" check of `stageBinding` in `flow`: nil when the binding does
    /// not ask for it (the stage runs unchecked).
    func evaluateStage(
        _ flow: String, _ stageBinding: String, _ snapshot: ConfigurationSnapshot, _ request: PolicyRequest
    ) throws(RPCError) -> VerdictRun? {
        let configuration = snapshot.configuration
        guard configuration.flows[flow] != nil else { throw RPCError(code: .notFound, message: "no flow has slug \(flow)") }
        guard let binding = configuration.stageBindings[stageBinding], binding.flow == flow else {
            throw RPCError(code: .notFound, message: "flow \(flow) has no stage binding with id \(stageBinding)")
        }
        guard binding.reEvaluatePolicies?.on ?? true else { return nil }
        return engine.evaluate(configuration.engineTarget(TargetKey(.stageBinding, stageBinding)), request)
    }
}

/// A value now, or later after waiting.
enum Staged<T: Sendable>: Sendable {
    case now(T)
    case later(@Sendable () async -> T)
}
