import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.StageBindings`.
public struct StageBindingsService: RPCService {
    public static let serviceName = Postern.Policy.V1.StageBindings.serviceName
    typealias API = Postern.Policy.V1.StageBindings

    let store: PolicyStore
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.create) { (request: Postern.Policy.V1.CreateStageBindingRequest, _) in
            let checked = try ConfigurationRules.stageBinding(request.stageBinding, creating: true)
            return .later {
                var binding = checked
                binding.id = try await StoreWork.run { () throws(RPCError) in try store.createStageBinding(checked) }
                logger.notice("stage_binding_created", metadata: ["stage_binding": "\(binding.id)", "flow": "\(binding.flow)", "stage": "\(binding.stage)"])
                return binding
            }
        }
        router.register(API.update) { (request: Postern.Policy.V1.UpdateStageBindingRequest, _) in
            let binding = try ConfigurationRules.stageBinding(request.stageBinding, creating: false)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.updateStageBinding(binding) }
                logger.notice("stage_binding_updated", metadata: ["stage_binding": "\(binding.id)", "flow": "\(binding.flow)"])
                return binding
            }
        }
        router.register(API.get) { (request: Postern.Policy.V1.GetStageBindingRequest, _) in
            let id = try ConfigurationRules.id(request.id, "id")
            guard let binding = store.configuration.stageBindings[id] else {
                throw RPCError(code: .notFound, message: "no stage binding has id \(id)")
            }
            return .now(binding)
        }
        router.register(API.list) { (request: Postern.Policy.V1.ListStageBindingsRequest, _) in
            let configuration = store.configuration
            if request.flow.isEmpty {
                return .now(.init(stageBindings: configuration.flowStages.keys.sorted().flatMap { configuration.flowStages[$0]! }))
            }
            let slug = try ConfigurationRules.slug(request.flow, "flow")
            guard configuration.flows[slug] != nil else { throw RPCError(code: .notFound, message: "no flow has slug \(slug)") }
            return .now(.init(stageBindings: configuration.flowStages[slug] ?? []))
        }
        router.register(API.delete) { (request: Postern.Policy.V1.DeleteStageBindingRequest, _) in
            let id = try ConfigurationRules.id(request.id, "id")
            return .later {
                let removed = try await StoreWork.run { () throws(RPCError) in try store.deleteStageBinding(id) }
                logger.notice("stage_binding_deleted", metadata: ["stage_binding": "\(id)", "bindings_removed": "\(removed)"])
                return .init(bindingsRemoved: UInt32(removed))
            }
        }
    }
}
