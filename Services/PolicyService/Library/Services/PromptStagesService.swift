import Logging
import PosternProtocol
import PosternRPC

/// `postern.policy.v1.PromptStages`.
public struct PromptStagesService: RPCService {
    public static let serviceName = Postern.Policy.V1.PromptStages.serviceName
    typealias API = Postern.Policy.V1.PromptStages

    let store: PolicyStore
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.create) { (request: Postern.Policy.V1.CreatePromptStageRequest, _) in
            let stage = try ConfigurationRules.promptStage(request.promptStage)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.createPromptStage(stage) }
                logger.notice("prompt_stage_created", metadata: ["prompt_stage": "\(stage.name)"])
                return stage
            }
        }
        router.register(API.update) { (request: Postern.Policy.V1.UpdatePromptStageRequest, _) in
            let stage = try ConfigurationRules.promptStage(request.promptStage)
            return .later {
                try await StoreWork.run { () throws(RPCError) in try store.updatePromptStage(stage) }
                logger.notice("prompt_stage_updated", metadata: ["prompt_stage": "\(stage.name)"])
                return stage
            }
        }
        router.register(API.get) { (request: Postern.Policy.V1.GetPromptStageRequest, _) in
            let name = try ConfigurationRules.name(request.name, "name")
            guard let stage = store.configuration.promptStages[name] else {
                throw RPCError(code: .notFound, message: "no prompt stage is named \(name)")
            }
            return .now(stage)
        }
        router.register(API.list) { (_: Postern.Policy.V1.ListPromptStagesRequest, _) in
            .now(.init(promptStages: store.configuration.promptStages.values.sorted { $0.name < $1.name }))
        }
        router.register(API.delete) { (request: Postern.Policy.V1.DeletePromptStageRequest, _) in
            let name = try ConfigurationRules.name(request.name, "name")
            return .later {
                let removed = try await StoreWork.run { () throws(RPCError) in try store.deletePromptStage(name) }
                logger.notice(
                    "prompt_stage_deleted",
                    metadata: ["prompt_stage": "\(name)", "stage_bindings_removed": "\(removed.stageBindings)", "bindings_removed": "\(removed.bindings)"])
                return .init(stageBindingsRemoved: UInt32(removed.stageBindings), bindingsRemoved: UInt32(removed.bindings))
            }
        }
    }
}
