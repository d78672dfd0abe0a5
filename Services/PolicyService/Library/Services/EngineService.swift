import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.Engine`: Evaluate, Plan, EvaluateStage, ValidatePrompt. Each reads the configuration as
/// of the last committed change and answers on the event loop when every policy involved
/// answers at once (in memory, microseconds); otherwise it answers when the policies that wait
/// are done or timed out.
public struct EngineService: RPCService {
    public static let serviceName = Postern.Policy.V1.Engine.serviceName
    typealias API = Postern.Policy.V1.Engine

    let store: PolicyStore
    let engine: PolicyEngine

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.evaluate) { (request: Postern.Policy.V1.EvaluateRequest, _) in
            let key = TargetKey(try ConfigurationRules.target(request.target, "target"))
            let context = try PolicyContext.parse(request.contextJSON)
            let snapshot = store.snapshot
            guard let target = snapshot.configuration.targets[key] else {
                throw RPCError(code: .notFound, message: "there is no \(key.kind.name) \(key.name)")
            }
            switch engine.evaluate(target, PolicyRequest(context: context)) {
            case .done(let verdict): return .now(.init(verdict: verdict.message()))
            case .waits(let body): return .later { .init(verdict: await body().message()) }
            }
        }
        router.register(API.plan) { (request: Postern.Policy.V1.PlanRequest, _) in
            let flow = try ConfigurationRules.slug(request.flow, "flow")
            let context = try PolicyContext.parse(request.contextJSON)
            switch try FlowPlanner(engine: engine).plan(flow, store.snapshot, PolicyRequest(context: context)) {
            case .now(let plan): return .now(plan.message())
            case .later(let body): return .later { await body().message() }
            }
        }
        router.register(API.evaluateStage) { (request: Postern.Policy.V1.EvaluateStageRequest, _) in
            let flow = try ConfigurationRules.slug(request.flow, "flow")
            let id = try ConfigurationRules.id(request.stageBindingID, "stage_binding_id")
            let context = try PolicyContext.parse(request.contextJSON)
            guard let run = try FlowPlanner(engine: engine).evaluateStage(flow, id, store.snapshot, PolicyRequest(context: context)) else {
                return .now(.init(run: true, evaluated: false))
            }
            switch run {
            case .done(let verdict): return .now(Self.stageResponse(verdict))
            case .waits(let body): return .later { Self.stageResponse(await body()) }
            }
        }
        router.register(API.validatePrompt) { (request: Postern.Policy.V1.ValidatePromptRequest, _) in
            switch try PromptValidation(engine: engine).validate(request, store.snapshot) {
            case .now(let response): return .now(response)
            case .later(let body): return .later { await body() }
            }
        }
    }

    private static func stageResponse(_ verdict: Verdict) -> Postern.Policy.V1.EvaluateStageResponse {
        .init(run: verdict.passing, evaluated: true, verdict: verdict.message())
    }
}
