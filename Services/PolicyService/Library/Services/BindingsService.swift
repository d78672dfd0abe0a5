import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.Bindings`.
public struct BindingsService: RPCService {
    public static let serviceName = Postern.Policy.V1.Bindings.serviceName
    typealias API = Postern.Policy.V1.Bindings

    let store: PolicyStore
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.create) { (request: Postern.Policy.V1.CreateBindingRequest, _) in
            let checked = try ConfigurationRules.binding(request.binding, creating: true)
            return .later {
                var binding = checked
                binding.id = try await StoreWork.run { () throws(RPCError) in try store.createBinding(checked) }
                logger.notice("binding_created", metadata: Self.metadata(binding))
                return binding
            }
        }
        router.register(API.update) { (request: Postern.Policy.V1.UpdateBindingRequest, _) in
            let binding = try ConfigurationRules.binding(request.binding, creating: false)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.updateBinding(binding) }
                logger.notice("binding_updated", metadata: Self.metadata(binding))
                return binding
            }
        }
        router.register(API.get) { (request: Postern.Policy.V1.GetBindingRequest, _) in
            let id = try ConfigurationRules.id(request.id, "id")
            guard let binding = store.configuration.bindings[id] else { throw RPCError(code: .notFound, message: "no binding has id \(id)") }
            return .now(binding)
        }
        router.register(API.list) { (request: Postern.Policy.V1.ListBindingsRequest, _) in
            let target = try request.target.map { target throws(RPCError) in TargetKey(try ConfigurationRules.target(target, "target")) }
            let bindings = store.configuration.bindings.values
                .filter { binding in
                    (target == nil || TargetKey(binding.target!) == target) && (request.policy.isEmpty || binding.policy == request.policy)
                }
                .sorted { a, b in
                    (a.target!.kind.rawValue, a.target!.name, a.order, a.id) < (b.target!.kind.rawValue, b.target!.name, b.order, b.id)
                }
            return .now(.init(bindings: bindings))
        }
        router.register(API.delete) { (request: Postern.Policy.V1.DeleteBindingRequest, _) in
            let id = try ConfigurationRules.id(request.id, "id")
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.deleteBinding(id) }
                logger.notice("binding_deleted", metadata: ["binding": "\(id)"])
                return .init()
            }
        }
    }

    private static func metadata(_ binding: Postern.Policy.V1.Binding) -> Logger.Metadata {
        [
            "binding": "\(binding.id)", "target": "\(TargetKey(binding.target!).text)", "order": "\(binding.order)",
            "policy": "\(binding.policy)", "user_id": "\(binding.user)", "group": "\(binding.group)",
        ]
    }
}
