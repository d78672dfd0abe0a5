import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.Flows`.
public struct FlowsService: RPCService {
    public static let serviceName = Postern.Policy.V1.Flows.serviceName
    typealias API = Postern.Policy.V1.Flows

    let store: PolicyStore
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.create) { (request: Postern.Policy.V1.CreateFlowRequest, _) in
            let flow = try ConfigurationRules.flow(request.flow)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.createFlow(flow) }
                logger.notice("flow_created", metadata: ["flow": "\(flow.slug)"])
                return flow
            }
        }
        router.register(API.update) { (request: Postern.Policy.V1.UpdateFlowRequest, _) in
            let flow = try ConfigurationRules.flow(request.flow)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.updateFlow(flow) }
                logger.notice("flow_updated", metadata: ["flow": "\(flow.slug)"])
                return flow
            }
        }
        router.register(API.get) { (request: Postern.Policy.V1.GetFlowRequest, _) in
            let slug = try ConfigurationRules.slug(request.slug, "slug")
            guard let flow = store.configuration.flows[slug] else { throw RPCError(code: .notFound, message: "no flow has slug \(slug)") }
            return .now(flow)
        }
        router.register(API.list) { (_: Postern.Policy.V1.ListFlowsRequest, _) in
            .now(.init(flows: store.configuration.flows.values.sorted { $0.slug < $1.slug }))
        }
        router.register(API.delete) { (request: Postern.Policy.V1.DeleteFlowRequest, _) in
            let slug = try ConfigurationRules.slug(request.slug, "slug")
            return .later {
                let removed = try await StoreWork.run { () throws(RPCError) in try store.deleteFlow(slug) }
                logger.notice(
                    "flow_deleted",
                    metadata: ["flow": "\(slug)", "stage_bindings_removed": "\(removed.stageBindings)", "bindings_removed": "\(removed.bindings)"])
                return .init(stageBindingsRemoved: UInt32(removed.stageBindings), bindingsRemoved: UInt32(removed.bindings))
            }
        }
    }
}
