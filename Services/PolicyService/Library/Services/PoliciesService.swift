import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.Policies`: create, read, change, delete and test policies.
public struct PoliciesService: RPCService {
    public static let serviceName = Postern.Policy.V1.Policies.serviceName
    typealias API = Postern.Policy.V1.Policies

    let store: PolicyStore
    let engine: PolicyEngine
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.create) { (request: Postern.Policy.V1.CreatePolicyRequest, _) in
            let (policy, settings) = try ConfigurationRules.policy(request.policy, store.dependencies)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.createPolicy(policy, settings: settings) }
                logger.notice("policy_created", metadata: ["policy": "\(policy.name)", "type": "\(policy.type.name)"])
                return policy
            }
        }
        router.register(API.update) { (request: Postern.Policy.V1.UpdatePolicyRequest, _) in
            let (policy, settings) = try ConfigurationRules.policy(request.policy, store.dependencies)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.updatePolicy(policy, settings: settings) }
                logger.notice("policy_updated", metadata: ["policy": "\(policy.name)", "type": "\(policy.type.name)"])
                return policy
            }
        }
        router.register(API.get) { (request: Postern.Policy.V1.GetPolicyRequest, _) in
            .now(try policy(named: request.name, store.configuration).message)
        }
        router.register(API.list) { (_: Postern.Policy.V1.ListPoliciesRequest, _) in
            .now(.init(policies: store.configuration.policies.values.map(\.message).sorted { $0.name < $1.name }))
        }
        router.register(API.delete) { (request: Postern.Policy.V1.DeletePolicyRequest, _) in
            let name = try ConfigurationRules.name(request.name, "name")
            return .later {
                let removed = try await StoreWork.run { () throws(RPCError) in try store.deletePolicy(name) }
                logger.notice("policy_deleted", metadata: ["policy": "\(name)", "bindings_removed": "\(removed)"])
                return .init(bindingsRemoved: UInt32(removed))
            }
        }
        router.register(API.test) { (request: Postern.Policy.V1.TestPolicyRequest, _) in
            let entry = try policy(named: request.name, store.configuration)
            let context = try PolicyContext.parse(request.contextJSON)
            // One binding of its own: no negate, authentik's default timeout and failure_result.
            let binding = EngineBinding(
                id: "", order: 0, subject: .policy(name: entry.message.name, compiled: entry.compiled, executionLogging: false),
                negate: false, timeout: .seconds(Int64(ConfigurationRules.defaultTimeoutSeconds)), failureResult: false)
            let run = engine.evaluate(EngineTarget(mode: .all, bindings: [binding]), PolicyRequest(context: context))
            if case .done(let verdict) = run { return .now(Self.testResponse(verdict)) }
            return .later { Self.testResponse(await run.value()) }
        }
    }

    private func policy(named name: String, _ configuration: PolicyConfiguration) throws(RPCError) -> PolicyConfiguration.PolicyEntry {
        let name = try ConfigurationRules.name(name, "name")
        guard let entry = configuration.policies[name] else { throw RPCError(code: .notFound, message: "no policy is named \(name)") }
        return entry
    }

    private static func testResponse(_ verdict: Verdict) -> Postern.Policy.V1.TestPolicyResponse {
        let outcome = verdict.outcomes[0]
        return .init(
            passing: outcome.passing, messages: outcome.messages, logMessages: outcome.logMessages, errored: outcome.errored,
            timedOut: outcome.timedOut, durationMicros: UInt64(max(0, outcome.duration.microseconds)))
    }
}
